import { createRequire } from 'node:module';

/** One metric family as parse-prometheus-text-format reads it. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
}

/** A third-party parser of the Prometheus text format (it throws on what a scraper could not read). */
export const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => MetricFamily[];

const SERIES = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The value of one series of the text exposition (the first whose labels
 * include `labels`), or undefined. Histograms: ask for `NAME_count`, `NAME_sum`.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = SERIES.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Reads a service's /metrics (with the admin token, which the main port asks for). */
export async function scrape(url: string, adminToken?: string): Promise<string> {
  const response = await fetch(url, adminToken ? { headers: { authorization: `Bearer ${adminToken}` } } : {});
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return response.text();
}
