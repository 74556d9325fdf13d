/**
 * The fleet page of the catalog site (`fleet.html`, JSON at `api/fleet.json`): every domain and
 * product with its policy standing (violations, warnings with their enforcement date,
 * suppressions with their expiry), template version against the latest, the policy packs and
 * their versions, the last published contract version and the consumers. The report itself is
 * built by `mesh fleet` (it needs a synthesized mesh); this module only defines and renders it.
 */
import { escapeHtml as esc } from './escape.js';
import { renderPageShell } from './html.js';
import type { CatalogModel } from './model.js';

/** One policy finding as the fleet shows it. */
export interface FleetFinding {
  /** Rule id. */
  readonly rule: string;
  /** Pack of the rule and its version (`@meshkit/core` for the built-in rules). */
  readonly pack?: string;
  readonly packVersion?: string;
  /** Construct path of the resource. */
  readonly path: string;
  readonly message: string;
  /** Warnings: the date the finding becomes an error (absent: never enforced). */
  readonly enforceFrom?: string;
}

/** A suppression as the fleet shows it. */
export interface FleetSuppression {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
  /** Expiry date (or instant). */
  readonly expires: string;
  readonly expired: boolean;
  /** Whole days left until it expires (0 on its last day; negative once expired). */
  readonly daysLeft: number;
}

/** The policy standing of one stack (a foundation, a product or the platform). */
export interface FleetStanding {
  readonly stack: string;
  readonly violations: readonly FleetFinding[];
  readonly warnings: readonly FleetFinding[];
  readonly suppressions: readonly FleetSuppression[];
}

/** One product of the fleet. */
export interface FleetProduct {
  /** `<domain>/<product>`. */
  readonly ref: string;
  readonly product: string;
  readonly owner: string;
  readonly classification: string;
  /** Version of the contract in the repository. */
  readonly contractVersion: string;
  /** Last version published to the catalog (absent: never published). */
  readonly publishedVersion?: string;
  /** Template version the product was rendered from (absent: no provenance). */
  readonly templateVersion?: string;
  /** True when `templateVersion` is older than the latest. */
  readonly behind: boolean;
  /** Products consuming this one (`<domain>/<product>`). */
  readonly consumers: readonly string[];
  readonly standing: FleetStanding;
}

/** One domain of the fleet. */
export interface FleetDomain {
  readonly name: string;
  readonly owner: string;
  readonly templateVersion?: string;
  readonly behind: boolean;
  /** The foundation stack's standing. */
  readonly foundation: FleetStanding;
  readonly products: readonly FleetProduct[];
}

/** The fleet report (`mesh fleet --format json`). */
export interface FleetReport {
  /** Format tag of the JSON. */
  readonly format: 'meshkit.fleet/v1';
  /** When the report was made (ISO). */
  readonly generatedAt: string;
  /** The instant findings were judged at (`--now`). */
  readonly now: string;
  /** Latest template version (the installed @meshkit/domain-template). */
  readonly templateLatest: string;
  /** The policy packs that ran, @meshkit/core first. */
  readonly packs: ReadonlyArray<{ readonly name: string; readonly version: string; readonly rules: number }>;
  /** The account-level stacks (platform, replicas). */
  readonly platform: readonly FleetStanding[];
  readonly domains: readonly FleetDomain[];
  readonly summary: {
    readonly domains: number;
    readonly products: number;
    readonly violations: number;
    readonly warnings: number;
    /** Warnings that become errors within 30 days of `now`. */
    readonly enforcedWithin30Days: number;
    readonly suppressions: number;
    /** Suppressions expiring within 30 days of `now` (expired ones included). */
    readonly expiringWithin30Days: number;
    /** Domains and products behind the latest template. */
    readonly behindTemplate: number;
  };
}

/** Path of the fleet page, relative to the catalog root. */
export const FLEET_PAGE_PATH = 'fleet.html';
/** Path of the fleet JSON, relative to the catalog root. */
export const FLEET_API_PATH = 'api/fleet.json';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const packOf = (f: FleetFinding) =>
  f.pack && f.pack !== '@meshkit/core'
    ? ` <span class="muted">(${esc(f.pack)} ${esc(f.packVersion ?? '')})</span>`
    : '';

function findingsTable(s: FleetStanding): string {
  const rows: string[] = [];
  for (const f of s.violations)
    rows.push(
      `<tr class="violation"><td><span class="badge phase-end-of-life">error</span></td><td><code>${esc(f.rule)}</code>${packOf(f)}</td><td><code>${esc(f.path)}</code><br>${esc(f.message)}</td><td></td></tr>`,
    );
  for (const f of s.warnings)
    rows.push(
      `<tr class="warning"><td><span class="badge phase-deprecated">warning</span></td><td><code>${esc(f.rule)}</code>${packOf(f)}</td><td><code>${esc(f.path)}</code><br>${esc(f.message)}</td><td class="enforce">${f.enforceFrom ? `error from <time datetime="${esc(f.enforceFrom)}">${esc(f.enforceFrom)}</time>` : 'never enforced'}</td></tr>`,
    );
  for (const x of s.suppressions)
    rows.push(
      `<tr class="suppression"><td><span class="badge">suppressed</span></td><td><code>${esc(x.rule)}</code></td><td><code>${esc(x.path)}</code><br>${esc(x.reason)}</td><td class="expires">${x.expired ? '<strong>expired</strong> ' : ''}until <time datetime="${esc(x.expires)}">${esc(x.expires)}</time>${x.expired ? '' : ` (${count(x.daysLeft, 'day')} left)`}</td></tr>`,
    );
  if (!rows.length) return '<p class="yes">No findings.</p>';
  return `<table><thead><tr><th>Level</th><th>Rule</th><th>Resource</th><th>When</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const standingCells = (s: FleetStanding) =>
  `<td class="n violations">${s.violations.length}</td><td class="n warnings">${s.warnings.length}</td><td class="n suppressions">${s.suppressions.length}</td>`;

const templateCell = (version: string | undefined, behind: boolean, latest: string) =>
  version === undefined
    ? '<td class="template muted">no provenance</td>'
    : `<td class="template${behind ? ' behind' : ''}">${esc(version)}${behind ? ` <span class="badge phase-deprecated">behind ${esc(latest)}</span>` : ''}</td>`;

/**
 * The fleet page: a summary, the packs, one table row per domain and product (standing,
 * template, published version, consumers) and the findings of each stack.
 */
export function renderFleetPage(model: CatalogModel, fleet: FleetReport): string {
  const m = fleet.summary;
  const published = new Set(model.products.map((x) => x.ref));
  const rows: string[] = [];
  for (const d of fleet.domains) {
    rows.push(
      `<tr class="domain" data-domain="${esc(d.name)}"><th scope="row">${esc(d.name)} <span class="muted">foundation</span></th><td>${esc(d.owner)}</td>${standingCells(d.foundation)}${templateCell(d.templateVersion, d.behind, fleet.templateLatest)}<td></td><td></td><td></td></tr>`,
    );
    for (const p of d.products) {
      const link = published.has(p.ref) ? `<a href="products/${esc(p.ref)}.html">${esc(p.ref)}</a>` : esc(p.ref);
      rows.push(
        `<tr class="product" data-product="${esc(p.ref)}"><th scope="row">${link}</th><td>${esc(p.owner)}</td>${standingCells(p.standing)}${templateCell(p.templateVersion, p.behind, fleet.templateLatest)}` +
          `<td class="contract">${esc(p.contractVersion)}</td><td class="published">${p.publishedVersion ? esc(p.publishedVersion) : '<span class="muted">unpublished</span>'}</td>` +
          `<td class="consumers">${p.consumers.length ? p.consumers.map(esc).join(', ') : '<span class="muted">none</span>'}</td></tr>`,
      );
    }
  }
  const sections: string[] = [];
  for (const s of fleet.platform)
    sections.push(
      `<section class="stack" data-stack="${esc(s.stack)}"><h3>${esc(s.stack)}</h3>${findingsTable(s)}</section>`,
    );
  for (const d of fleet.domains) {
    sections.push(
      `<section class="stack" data-stack="${esc(d.foundation.stack)}"><h3>${esc(d.name)} (foundation)</h3>${findingsTable(d.foundation)}</section>`,
    );
    for (const p of d.products)
      sections.push(
        `<section class="stack" data-stack="${esc(p.standing.stack)}"><h3>${esc(p.ref)}</h3>${findingsTable(p.standing)}</section>`,
      );
  }
  const body = `<h1>Fleet</h1>
<p class="muted">Judged at <time datetime="${esc(fleet.now)}">${esc(fleet.now)}</time> · latest template ${esc(fleet.templateLatest)}</p>
<dl class="facts summary">
<dt>Domains</dt><dd>${m.domains}</dd><dt>Products</dt><dd>${m.products}</dd>
<dt>Violations</dt><dd class="violations">${m.violations}</dd>
<dt>Warnings</dt><dd class="warnings">${m.warnings} (${m.enforcedWithin30Days} become errors within 30 days)</dd>
<dt>Suppressions</dt><dd class="suppressions">${m.suppressions} (${m.expiringWithin30Days} expire within 30 days)</dd>
<dt>Behind the template</dt><dd class="behind">${m.behindTemplate}</dd>
</dl>
<h2>Policy packs</h2>
<ul class="packs">${fleet.packs.map((p) => `<li data-pack="${esc(p.name)}"><code>${esc(p.name)}</code> ${esc(p.version)} <span class="muted">(${count(p.rules, 'rule')})</span></li>`).join('')}</ul>
<h2>Domains and products</h2>
<table class="fleet"><thead><tr><th>Domain / product</th><th>Owner</th><th>Violations</th><th>Warnings</th><th>Suppressions</th><th>Template</th><th>Contract</th><th>Published</th><th>Consumers</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<h2>Findings</h2>
${sections.join('\n')}`;
  return renderPageShell({ title: 'Meshkit fleet', root: '', model, body });
}
