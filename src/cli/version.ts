/** The package's version, for `moneysocket --version`. */
import {createRequire} from 'node:module';

/**
 * Read from package.json through the package's own name (its `exports` map
 * lists ./package.json), so it is right from src/ under tsx and from dist/.
 */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('moneysocket-elements/package.json') as {version: string}).version;
}
