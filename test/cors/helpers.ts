// Fixture loading for the CORS engine tests (tables in test/fixtures/cors/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCorsConfig } from '../../src/cors/index.js';
import type { CorsConfig, CorsProvider } from '../../src/cors/index.js';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'cors');

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

export function fixtureJson<T>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T;
}

/** A configuration of a match table: inline provider text (XML string or JSON value) or a file under configs/. */
export function tableConfig(value: unknown, provider: CorsProvider): CorsConfig {
  if (typeof value === 'string' && value.startsWith('configs/')) return parseCorsConfig(fixtureText(value), { provider });
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return parseCorsConfig(text, { provider });
}

export interface MatchCase {
  name: string;
  config: string;
  preflight: boolean;
  origin: string;
  method: string;
  headers?: string[];
  allowed: boolean;
  rule?: number;
  reason?: string;
  refused?: string[];
  closest?: number;
}

export interface MatchTable {
  provider: CorsProvider;
  configs: Record<string, unknown>;
  cases: MatchCase[];
}

export const PROVIDERS: readonly CorsProvider[] = ['s3', 'cos', 'oss', 'gcs', 'obs', 'tos'];

export function matchTable(provider: CorsProvider): MatchTable {
  return fixtureJson<MatchTable>(`match-${provider}.json`);
}
