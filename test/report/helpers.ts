// In-process CLI runner for the report, preflight and config tests.
export { type CliResult, runCli as cli } from '../helpers/io.js';
