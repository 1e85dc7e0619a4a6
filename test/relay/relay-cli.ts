/** The relay command run straight from the sources, for tests that start it as a child process (under `ulimit`, say). */
import {main} from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
