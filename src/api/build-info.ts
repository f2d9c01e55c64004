import { readFileSync } from 'node:fs';

interface PackageJson {
  version: string;
}

let cached:
  | {
      version: string;
      goVersion: string;
      revision: string;
      branch: string;
      buildDate: string;
      buildUser: string;
    }
  | undefined;

/** Tempo's `/api/status/buildinfo` shape, which Grafana reads to pick features by version. */
export function buildInfo(): NonNullable<typeof cached> {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(new URL(packageJsonPath(), import.meta.url), 'utf8')) as PackageJson;
  cached = {
    version: pkg.version,
    goVersion: `node ${process.version}`,
    revision: '',
    branch: '',
    buildDate: '',
    buildUser: '',
  };
  return cached;
}

/** Source runs from src/api, the build from dist/src/api: the package.json is two or three levels up. */
function packageJsonPath(): string {
  return import.meta.url.includes('/dist/src/') ? '../../../package.json' : '../../package.json';
}
