// Memory through real n8n (issue 12 item 4): peak RSS of `n8n execute` (n8n 2.x on Node 24, this package installed
// as a community package, the Plek sandbox in this process) for N users, three workflows per size in this run:
//   baseline  Manual Trigger -> Code (N AD-shaped items) -> Set -> No Operation
//   dry run   Manual Trigger -> Code (N items) -> Plek Mapper (the AD template's rules) -> Plek Sync (Dry Run)
//   apply     the same with Plek Sync in Apply mode (the first sync: N creates into an empty sandbox)
// Peak RSS is GNU time's %M for the n8n process (its task runner, which runs the Code node in both, is a separate
// process). Target: the Plek nodes add <= 5 MB per 1,000 users over the baseline. n8n runs with log level warn:
// `n8n execute` prints the whole run data at info, and fails printing more than ~500 MB of it. All n8n executions run
// while this process holds /tmp/plek-heavy.lock (the machine is shared; BENCH_HEAVY_LOCK='' for none): on a shared
// machine keep one run's sizes within ~12 minutes (e.g. BENCH_MEMORY_SIZES=10000,50000, then 100000 alone).
// Needs dist/ (npm run build) and the runtime (bash scripts/n8n-runtime.sh install). Prints a table, writes
// bench/results/memory.json (this run's sizes replace those sizes there; other sizes are kept).   BENCH_MEMORY_SIZES=10000,50000,100000   BENCH_MEMORY_MODES=dryRun,apply
// BENCH_MEMORY_OUTPUT=perAction   BENCH_MEMORY_HISTORY=1
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { startEnvironment, CREDENTIALS, type E2eEnvironment } from '../scripts/lib/environment';
import { run, type WorkflowJson } from '../scripts/lib/n8n';
import { loadTemplate } from '../scripts/lib/workflows';
import { report } from './common';

const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '10000,50000,100000').split(',').map(Number);
const MODES = (process.env.BENCH_MEMORY_MODES ?? 'dryRun,apply').split(',') as Array<'dryRun' | 'apply'>;
const LOCK = process.env.BENCH_HEAVY_LOCK ?? '/tmp/plek-heavy.lock';
const TIMEOUT_MS = Number(process.env.BENCH_MEMORY_TIMEOUT_MS ?? 20 * 60_000);

/** BENCH_MEMORY_OUTPUT=perAction: the Sync's Changes (and History) as one item per action (issue 26's summarised
 * outputs); BENCH_MEMORY_HISTORY=1 adds the History output. Default: the template's Sync as it is. */
const OUTPUT_DETAIL = process.env.BENCH_MEMORY_OUTPUT;
const HISTORY = process.env.BENCH_MEMORY_HISTORY === '1';

function syncOutputParameters(parameters: Record<string, unknown>): Record<string, unknown> {
	// The templates ship with History Output on; off unless asked, so the figures compare with earlier runs.
	const extra: Record<string, unknown> = { historyOutput: HISTORY };
	if (OUTPUT_DETAIL) extra.options = { ...((parameters.options as Record<string, unknown>) ?? {}), outputDetail: OUTPUT_DETAIL };
	return extra;
}

/** The Code node's program: the same AD-shaped people as bench/ad.ts (objectGUID as 32 hex digits, as n8n's LDAP node). */
function generatorCode(n: number): string {
	return `
const DEPARTMENTS = ['Care', 'Home Care', 'Facilities', 'Finance', 'HR', 'ICT', 'Communication', 'Management'];
const TITLES = ['Nurse', 'Senior Nurse', 'Care Manager', 'Cook', 'Controller', 'Director', 'Engineer', 'Advisor'];
const le32 = (v) => [0, 8, 16, 24].map((s) => ((v >>> s) & 255).toString(16).padStart(2, '0')).join('');
const items = [];
for (let i = 0; i < ${n}; i++) {
  const department = DEPARTMENTS[i % DEPARTMENTS.length];
  const given = 'Jan' + i;
  const family = i % 5 === 0 ? 'van der Berg' : 'Jansen' + i;
  const account = 'jan.' + i;
  items.push({ json: {
    dn: 'CN=' + given + ' ' + family + ',OU=' + department + ',OU=Staff,DC=delinde,DC=local',
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    cn: given + ' ' + family,
    objectGUID: le32(i) + '0000000000000000' + le32(0x5eed1e55),
    sAMAccountName: account,
    userPrincipalName: account + '@delinde.example',
    givenName: given,
    sn: family,
    displayName: given + ' ' + family,
    mail: account + '@Delinde.Example',
    department,
    title: TITLES[i % TITLES.length],
    company: 'Zorggroep De Linde',
    employeeID: String(100000 + i),
    manager: 'CN=Sanne Jansen,OU=Management,OU=Staff,DC=delinde,DC=local',
    userAccountControl: i % 40 === 0 ? '514' : '512',
    accountExpires: i % 97 === 0 ? '132000000000000000' : '9223372036854775807',
    memberOf: ['CN=All staff,OU=Groups,DC=delinde,DC=local', 'CN=Dept ' + department + ',OU=Groups,DC=delinde,DC=local'],
  } });
}
return items;`;
}

type Kind = 'baseline' | 'dryRun' | 'apply';

function workflow(kind: Kind, n: number): WorkflowJson {
	const template = loadTemplate('active-directory-ldap');
	const byType = (type: string) => template.nodes.find((node) => node.type === type)!;
	const start = { id: 'm1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const code = { id: 'm2', name: 'People', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: generatorCode(n) } };
	const chain =
		kind === 'baseline'
			? [
					{
						id: 'm3',
						name: 'Set',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.4,
						position: [400, 0],
						parameters: {
							assignments: { assignments: [{ id: 'a1', name: 'checked', value: true, type: 'boolean' }] },
							includeOtherFields: true,
							options: {},
						},
					},
					{ id: 'm4', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 0], parameters: {} },
				]
			: [
					{ ...structuredClone(byType('n8n-nodes-plek.plekMapper')), id: 'm3', name: 'Mapper', position: [400, 0] },
					{
						...structuredClone(byType('n8n-nodes-plek.plekSync')),
						id: 'm4',
						name: 'Sync',
						position: [600, 0],
						credentials: { plekApi: { ...CREDENTIALS.plekApi } },
					},
				];
	if (kind !== 'baseline') chain[1].parameters = { ...chain[1].parameters, mode: kind, ...syncOutputParameters(chain[1].parameters) };
	const nodes = [start, code, ...chain];
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id: `PlekMemory${kind.padEnd(6, '0').slice(0, 6)}`.slice(0, 16), name: `Memory ${kind} ${n}`, nodes, connections, settings: {} };
}

interface Measurement {
	kind: Kind;
	users: number;
	peakRssMb: number;
	wallS: number;
}

async function measure(env: E2eEnvironment, kind: Kind, n: number): Promise<Measurement> {
	const flow = workflow(kind, n);
	await env.n8n.importWorkflow(flow);
	const started = Date.now();
	const result = await run('/usr/bin/time', ['-f', 'PLEK_PEAK_RSS_KB=%M', env.runtime.node, env.runtime.n8nBin, 'execute', `--id=${flow.id}`], {
		cwd: env.n8n.userFolder,
		env: env.n8n.env({ N8N_LOG_LEVEL: 'warn', NODE_OPTIONS: '--max-old-space-size=8192' }),
		timeoutMs: TIMEOUT_MS,
	});
	const peak = /PLEK_PEAK_RSS_KB=(\d+)/.exec(result.stderr);
	if (result.code !== 0 || !peak) {
		throw new Error(`n8n execute (${kind}, ${n} users) failed (exit ${result.code}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-3000)}`);
	}
	return { kind, users: n, peakRssMb: Math.round(Number(peak[1]) / 1024), wallS: Number(((Date.now() - started) / 1000).toFixed(1)) };
}

/** Takes the heavy lock (flock in a child that keeps it until killed); resolves with the function that releases it. */
function holdLock(): Promise<() => void> {
	if (!LOCK) return Promise.resolve(() => undefined);
	return new Promise((resolve, reject) => {
		// -o: only flock itself holds the lock; its own process group, so release stops flock and the sleep together.
		// The sleep caps the hold at 30 minutes should this process die without releasing.
		const holder = spawn('flock', ['-o', LOCK, 'sh', '-c', 'echo locked; exec sleep 1800'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
		holder.on('error', reject);
		holder.stdout.once('data', () => resolve(() => process.kill(-holder.pid!, 'SIGTERM')));
	});
}

/** People of the Code node the AD template's rules make active (disabled: every 40th; expired: every 97th). */
const activeUsers = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 40 !== 0 && i % 97 !== 0).length;

/** Baseline and each mode for n users. */
async function measureSize(env: E2eEnvironment, n: number): Promise<Record<string, number>> {
	env.sandbox.reset();
	const baseline = await measure(env, 'baseline', n);
	// The machine's 1-minute load when the size started: wall times and GC timing depend on it.
	const row: Record<string, number> = { users: n, loadAtStart: Number(loadavg()[0].toFixed(1)), baselineMb: baseline.peakRssMb, baselineS: baseline.wallS };
	for (const mode of MODES) {
		const m = await measure(env, mode, n);
		const inPlek = env.sandbox.users().length;
		if (mode === 'dryRun' && inPlek !== 0) throw new Error(`the dry run wrote ${inPlek} users to the sandbox`);
		if (mode === 'apply' && inPlek < activeUsers(n)) throw new Error(`apply left ${inPlek} users in the sandbox, expected ${activeUsers(n)}`);
		row[`${mode}Mb`] = m.peakRssMb;
		row[`${mode}S`] = m.wallS;
		row[`${mode}MbPer1kOverBaseline`] = Number(((m.peakRssMb - baseline.peakRssMb) / (n / 1000)).toFixed(2));
	}
	return row;
}

const RESULTS = join(__dirname, 'results', OUTPUT_DETAIL || HISTORY ? `memory-${OUTPUT_DETAIL ?? 'perPerson'}${HISTORY ? '-history' : ''}.json` : 'memory.json');

/** This run's sizes replace the same sizes of the file and join the others: one size per run adds up (a shared
 * machine fits one size per lock hold). */
function writeResults(n8nVersion: string, rows: Array<Record<string, number>>): void {
	const earlier = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { rows?: Array<Record<string, number>> }).rows ?? [] : [];
	const sizes = new Set(rows.map((row) => row.users));
	const merged = [...earlier.filter((row) => !sizes.has(row.users)), ...rows].sort((a, b) => a.users - b.users);
	mkdirSync(join(__dirname, 'results'), { recursive: true });
	writeFileSync(RESULTS, `${JSON.stringify({ n8n: n8nVersion, rows: merged, target: { mbPer1kOverBaseline: 5 } }, null, 2)}\n`);
}

async function main() {
	const env = await startEnvironment({ sandbox: { maxResults: 1000 } });
	const rows: Array<Record<string, number>> = [];
	const release = await holdLock();
	try {
		for (const n of SIZES) {
			const row = await measureSize(env, n);
			rows.push(row);
			const lines: Record<string, string | number> = { 'baseline: Code -> Set -> NoOp (MB)': `${row.baselineMb} (${row.baselineS} s)` };
			for (const mode of MODES) {
				lines[`Code -> Mapper -> Sync ${mode} (MB)`] = `${row[`${mode}Mb`]} (${row[`${mode}S`]} s)`;
				lines[`${mode}: MB per 1,000 users over baseline (<= 5)`] = row[`${mode}MbPer1kOverBaseline`];
			}
			report(`Peak RSS of n8n execute, ${n} users (n8n ${env.runtime.n8nVersion})`, lines);
			writeResults(env.runtime.n8nVersion, rows);
		}
	} finally {
		release();
		await env.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
