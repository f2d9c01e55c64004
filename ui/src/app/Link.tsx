import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { withTenant } from '../api/tenant';
import { navigate } from './router';

/**
 * An ordinary link (middle-click, copy address work) that navigates in-app on a plain click; it
 * keeps the current tenant, so a link copied from the page opens the same tenant's data.
 */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { onClick, ...rest } = props;
  const href = withTenant(props.href);
  const click = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(href);
  };
  return <a {...rest} href={href} onClick={click} />;
}
