// The `moneysocket` command straight from src/ (through tsx), for relay
// processes that must run the code under test rather than the compiled dist/:
// under Stryker, src/ holds the mutants (see relay-processes.mjs).
import {main} from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
