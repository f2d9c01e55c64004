import { ConfigError } from './config-error.js';

export interface ComponentId {
  /** `otlp` in `otlp/backend`: selects the factory. */
  type: string;
  /** `backend` in `otlp/backend`; '' when there is none. */
  name: string;
}

// The Collector's rules: a type is a letter then letters, digits or '_'; a name is any non-empty text without spaces.
const TYPE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME = /^[^\s/]+(\/[^\s]*)?$/;

/** Parses `type[/name]`, as the Collector's `component.ID` does. */
export function parseComponentId(text: string, path: string): ComponentId {
  const slash = text.indexOf('/');
  const type = slash < 0 ? text : text.slice(0, slash);
  const name = slash < 0 ? '' : text.slice(slash + 1);
  if (!TYPE.test(type))
    throw new ConfigError(
      path,
      `"${text}" is not a component id: expected type or type/name, e.g. otlp/backend`,
    );
  if (slash >= 0 && !NAME.test(name))
    throw new ConfigError(path, `"${text}" is not a component id: the name after "/" must not be empty`);
  return { type, name };
}
