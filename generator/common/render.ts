// Handlebars, set up once: strict (a field missing from the context is an error, not an empty string) and without
// HTML escaping (the output is Verilog, constraints and scripts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from './version.js';

const hb = Handlebars.create();
const compiled = new Map<string, HandlebarsTemplateDelegate>();
let partialsReady = false;

export function templatesDir(): string {
  return join(packageRoot(), 'templates');
}

function ensurePartials(): void {
  if (partialsReady) return;
  hb.registerPartial('top_common', readFileSync(join(templatesDir(), 'rtl', 'top_common.hbs'), 'utf8'));
  partialsReady = true;
}

/** A file of a build plan, held in memory until the plan is written. */
export interface PlannedFile {
  /** Path inside the output folder, with forward slashes. */
  readonly path: string;
  readonly role: 'rtl' | 'stub' | 'constraints' | 'script' | 'plan' | 'header';
  readonly content: string;
}

/** Renders `templates/<rel>` with a context. */
export function renderTemplate(rel: string, context: object): string {
  ensurePartials();
  let template = compiled.get(rel);
  if (!template) {
    const source = readFileSync(join(templatesDir(), rel), 'utf8');
    template = hb.compile(source, { strict: true, noEscape: true });
    compiled.set(rel, template);
  }
  return template(context);
}

/** Prefixes each line with a comment marker. */
export function commentBlock(lines: readonly string[], marker: '//' | '#'): string {
  return lines.map((l) => `${marker} ${l}`).join('\n');
}
