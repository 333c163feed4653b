/**
 * Peak memory of an n8n queue-mode worker per synced user (the README's Sizing). Run as root, under the heavy lock:
 *
 *   flock -o /tmp/plek-heavy.lock npx tsx test/queue/worker-memory.ts 2000 10000 20000
 *
 * The stack of `npm run test:queue` (scripts/queue-mode.sh: Postgres, Redis, a main, two workers) with a workflow
 * Webhook (the people as a JSON array) -> Split Out -> Plek Mapper -> Plek Sync -> Set (execution id), against the
 * Plek sandbox in this process, every size a first sync into an empty Plek (all creates, the largest plan; n8n saves
 * the full execution data). The baseline is each worker's own peak RSS (VmHWM) after a 100-person warm-up run;
 * a size's figure is the peak RSS of the worker that ran it (from its log) minus that worker's baseline. Sizes run
 * in increasing order, so a worker's VmHWM after a run is that run's peak.
 *
 * Switches (environment):
 *   PLEK_WORKER_OUTPUT=perAction   the Sync's Items Per Person or Per Action = One Item Per Action (Changes as one
 *                                  item per action kind with counts); default perPerson (one Changes item per person)
 *   PLEK_WORKER_HISTORY=1          the Sync's History output on (default off)
 *   PLEK_WORKER_LOCK_S=1800        the workers' job lock (n8n's QUEUE_WORKER_LOCK_DURATION, default 60 s) and stall
 *                                  check interval (QUEUE_WORKER_STALLED_INTERVAL, default 30 s) in seconds. A worker
 *                                  renews its job's lock from its event loop; on a CPU-starved machine a 250,000-person
 *                                  run held the loop past 60 s twice and n8n failed the job as stalled ("job stalled more
 *                                  than maxStalledCount", 2026-12-07, load 22): this measures memory, not that.
 * The people travel in the webhook's body: 250,000 are 49 MiB of JSON, under the N8N_PAYLOAD_SIZE_MAX set below.
 * Node's fetch gives up waiting for response headers after 300 s by default and the webhook answers only when the
 * run is done (a 100,000-person run takes longer), so the request waits without that limit.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';

import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { CREDENTIALS } from '../../scripts/lib/environment';
import type { WorkflowJson } from '../../scripts/lib/n8n';
import { groupSeed } from '../../scripts/lib/samples';
import { loadTemplate } from '../../scripts/lib/workflows';
import { QueueCluster, WORKERS, type Worker } from './lib/cluster';
import { ENTERPRISE } from '../support/scim';

const PATH = 'plek-memory';
const DEPARTMENTS = ['Care', 'Home Care', 'Facilities', 'Finance', 'HR', 'ICT'];
const MiB = 1024 * 1024;
const HISTORY = process.env.PLEK_WORKER_HISTORY === '1';
const OUTPUT_DETAIL = process.env.PLEK_WORKER_OUTPUT ?? 'perPerson';
if (!['perPerson', 'perAction'].includes(OUTPUT_DETAIL)) {
	throw new Error(`PLEK_WORKER_OUTPUT is '${OUTPUT_DETAIL}': use perPerson (the default) or perAction`);
}

function person(i: number): Record<string, string> {
	const department = DEPARTMENTS[i % DEPARTMENTS.length];
	return {
		id: `emp-${String(i).padStart(7, '0')}`,
		mail: `person.${i}@delinde.example`,
		givenName: `Given${i}`,
		sn: `Family${i}`,
		displayName: `Given${i} Family${i}`,
		title: i % 10 === 0 ? 'Team lead' : 'Nurse',
		department,
		employeeID: String(100000 + i),
	};
}

function workflow(): WorkflowJson {
	const template = loadTemplate('active-directory-ldap');
	const mapper = structuredClone(template.nodes.find((n) => n.type === 'n8n-nodes-plek.plekMapper')!);
	const sync = structuredClone(template.nodes.find((n) => n.type === 'n8n-nodes-plek.plekSync')!);
	mapper.parameters = {
		mode: 'fields',
		mappingKey: 'id',
		userName: '$normalizeEmail(mail)',
		active: 'true',
		profileFields: {
			field: [
				{ path: 'name.givenName', expression: 'givenName', apply: 'always' },
				{ path: 'name.familyName', expression: 'sn', apply: 'always' },
				{ path: 'displayName', expression: 'displayName', apply: 'always' },
				{ path: 'title', expression: 'title', apply: 'always' },
				{ path: `${ENTERPRISE}:department`, expression: 'department', apply: 'always' },
				{ path: `${ENTERPRISE}:employeeNumber`, expression: 'employeeID', apply: 'always' },
			],
		},
		groupRules: { rule: [{ group: 'All staff', condition: 'true' }, ...DEPARTMENTS.map((d) => ({ group: d, condition: `department = '${d}'` }))] },
	};
	// Large first syncs: the guards' source-size check has nothing to compare with, the deactivation guards nothing to count.
	sync.parameters = {
		...sync.parameters,
		mode: 'apply',
		historyOutput: HISTORY,
		options: { ...(sync.parameters.options as object), outputDetail: OUTPUT_DETAIL },
	};
	for (const node of [mapper, sync]) node.credentials = { plekApi: { ...CREDENTIALS.plekApi } };
	return {
		id: 'PlekQueueMemory1',
		name: 'Worker memory',
		nodes: [
			{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
			{ name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body', options: {} } },
			{ ...mapper, position: [440, 0] },
			{ ...sync, position: [660, 0] },
			{ name: 'Summary and execution id', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [880, 0],
				parameters: { mode: 'manual', includeOtherFields: true, options: {},
					assignments: { assignments: [{ id: randomUUID(), name: 'executionId', value: '={{ $execution.id }}', type: 'string' }] } } },
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: mapper.name, type: 'main', index: 0 }]] },
			[mapper.name]: { main: [[{ node: sync.name, type: 'main', index: 0 }]] },
			[sync.name]: { main: [[{ node: 'Summary and execution id', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** VmHWM (peak RSS) and VmRSS of a worker's node process, in bytes. */
function memoryOf(cluster: QueueCluster, worker: Worker): { peak: number; rss: number } {
	// The pid file names the shell the worker was started from; the worker is the node process under it.
	let pid = readFileSync(join(cluster.dir, `${worker}.pid`), 'utf8').trim();
	while (readlinkSync(`/proc/${pid}/exe`).endsWith('/bash')) {
		const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
		if (children.length !== 1) throw new Error(`${worker}: expected one process under ${pid}, found ${children.length}`);
		pid = children[0];
	}
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
	return { peak: kb('VmHWM'), rss: kb('VmRSS') };
}

/** POSTs JSON and waits for the answer however long the run takes (no headers or body timeout, unlike fetch). */
function post(url: string, body: string, signal: AbortSignal): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, signal }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end(body);
	});
}

/** Every minute, both workers' RSS and peak; a worker process that is gone (out of memory) aborts the request. */
function watchWorkers(cluster: QueueCluster, started: number, abort: AbortController): NodeJS.Timeout {
	return setInterval(() => {
		try {
			const line = WORKERS.map((w) => {
				const { peak, rss } = memoryOf(cluster, w);
				return `${w} rss ${(rss / MiB).toFixed(0)} peak ${(peak / MiB).toFixed(0)} MiB`;
			});
			console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${line.join('; ')}`);
		} catch (error) {
			abort.abort(new Error(`a worker process is gone: ${(error as Error).message}`));
		}
	}, 60_000);
}

async function sync(cluster: QueueCluster, sandbox: RunningSandbox, size: number): Promise<{ worker: Worker; ms: number; users: number }> {
	sandbox.load(groupSeed());
	const body = JSON.stringify(Array.from({ length: size }, (_, i) => person(i)));
	const started = Date.now();
	const abort = new AbortController();
	const watch = size >= 10_000 ? watchWorkers(cluster, started, abort) : undefined;
	const response = await post(`${cluster.mainUrl}/webhook/${PATH}`, body, abort.signal).finally(() => clearInterval(watch));
	if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${response.text.slice(0, 2000)}`);
	const summary = JSON.parse(response.text) as Record<string, any>;
	const users = sandbox.users().length;
	if (summary.done?.create !== size || users !== size) {
		throw new Error(`the ${size}-person sync did not create everyone (Plek has ${users} users): ${JSON.stringify(summary).slice(0, 1000)}`);
	}
	const worker = cluster.workerOf(String(summary.executionId));
	if (!worker) throw new Error(`no worker log names execution ${summary.executionId}`);
	return { worker, ms: Date.now() - started, users };
}

/** The end of each n8n process's log: why a run failed (out of memory, a timeout, the database). */
function logTails(cluster: QueueCluster): string {
	return (['main', ...WORKERS] as const)
		.map((name) => `--- ${name}.log (last 30 lines)\n${cluster.log(name).trimEnd().split('\n').slice(-30).join('\n')}`)
		.join('\n');
}

async function main(): Promise<void> {
	const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ['2000', '10000']).map(Number).sort((a, b) => a - b);
	process.env.N8N_PAYLOAD_SIZE_MAX = '256';
	if (process.env.PLEK_WORKER_LOCK_S) {
		process.env.QUEUE_WORKER_LOCK_DURATION = String(Number(process.env.PLEK_WORKER_LOCK_S) * 1000);
		process.env.QUEUE_WORKER_STALLED_INTERVAL = String(Number(process.env.PLEK_WORKER_LOCK_S) * 1000);
	}
	const sandbox = await startSandbox({ quiet: true });
	const cluster = new QueueCluster();
	// A timeout (SIGTERM) still stops every process the cluster started.
	process.once('SIGTERM', () => {
		void cluster.stop().finally(() => process.exit(1));
	});
	try {
		await cluster.services();
		await cluster.importCredentials([
			{
				...CREDENTIALS.plekApi,
				type: 'plekApi',
				data: {
					environmentUrl: sandbox.url, authentication: 'clientCredentials', clientId: sandbox.options.clientId,
					clientSecret: sandbox.options.clientSecret, tokenUrl: '', scope: '', clientAuthentication: 'body', scimBasePath: '/scim/v2',
				},
			},
		]);
		await cluster.importAndPublish([workflow()]);
		await cluster.start();
		// Warm-up: two at once, so each worker (concurrency 1) runs one; then each worker's baseline.
		await Promise.all([sync(cluster, sandbox, 100), sync(cluster, sandbox, 100)].map((p) => p.catch(() => undefined)));
		const baseline = Object.fromEntries(WORKERS.map((w) => [w, memoryOf(cluster, w)])) as Record<Worker, { peak: number; rss: number }>;
		const warmed = WORKERS.filter((w) => cluster.executionsOf(w).length > 0);
		console.log(`baseline after a 100-person warm-up (${warmed.join(', ')} ran one): ` +
			WORKERS.map((w) => `${w} peak ${(baseline[w].peak / MiB).toFixed(0)} MiB, rss ${(baseline[w].rss / MiB).toFixed(0)} MiB`).join('; '));
		console.log(`Sync output: ${OUTPUT_DETAIL === 'perAction' ? 'One Item Per Action' : 'one Changes item per person'}, History ${HISTORY ? 'on' : 'off'}`);
		console.log('users | worker | peak RSS MiB | over baseline MiB | MiB per 1,000 users | run s | Plek users');
		for (const size of sizes) {
			const { worker, ms, users } = await sync(cluster, sandbox, size).catch((error: Error) => {
				console.error(logTails(cluster));
				throw error;
			});
			const { peak } = memoryOf(cluster, worker);
			const over = (peak - baseline[worker].peak) / MiB;
			console.log(`${size} | ${worker} | ${(peak / MiB).toFixed(0)} | ${over.toFixed(0)} | ${((over * 1000) / size).toFixed(1)} | ${(ms / 1000).toFixed(1)} | ${users}`);
		}
	} finally {
		await cluster.stop().catch((error: Error) => console.error(`stopping the cluster failed: ${error.message}`));
		await sandbox.close();
	}
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exitCode = 1;
});
