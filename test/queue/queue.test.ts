/**
 * The nodes in n8n queue mode (`npm run test:queue`): Postgres + Redis + an n8n main + two workers
 * (scripts/queue-mode.sh), the AD template with a webhook as trigger, LDAP on loopback, the Plek sandbox in this
 * process. The main receives the webhook and enqueues it; a worker runs the execution (its own user folder, the
 * package installed there as a community package, the credential decrypted with the shared key). Each answer
 * carries its execution id, and the workers' own logs say which of them started it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { CREDENTIALS } from '../../scripts/lib/environment';
import { LdapServer } from '../../scripts/lib/ldap';
import type { WorkflowJson } from '../../scripts/lib/n8n';
import { ENTERPRISE, groupSeed, samplePeople, type SamplePerson } from '../../scripts/lib/samples';
import { loadTemplate } from '../../scripts/lib/workflows';
import { QueueCluster, WORKERS } from './lib/cluster';
import { WriteGate } from './lib/gate';

const SYNC = 'Sync to Plek';
const LDAP_NODE = 'Read people from Active Directory';
const STAFF = 'OU=Staff,DC=delinde,DC=local';
const people = samplePeople();
const active = people.filter((p) => p.active);

let cluster: QueueCluster;
let sandbox: RunningSandbox;
let gate: WriteGate;
let ldap: LdapServer;
/** Execution id -> what ran it, for the evidence printed at the end. */
const evidence: string[] = [];

interface Part {
	path: string;
	ou?: string;
	scope?: Record<string, string>;
}

/**
 * The AD template with a Webhook instead of its Schedule Trigger. The Sync's Summary, with the execution's id
 * added by a Set node, is the webhook's answer. A part reads one OU and scopes Deactivate Users Missing From Source.
 */
function webhookWorkflow(id: string, part: Part): WorkflowJson {
	const workflow = structuredClone(loadTemplate('active-directory-ldap'));
	workflow.id = id;
	workflow.name = `${workflow.name} (${part.path})`;
	delete workflow.settings?.errorWorkflow;
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
	Object.assign(trigger, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: part.path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	});
	const sync = workflow.nodes.find((n) => n.name === SYNC)!;
	sync.parameters.mode = 'apply';
	// The webhook answers with the last node's output: the History branch (a Data Table) would be the last.
	sync.parameters.historyOutput = false;
	if (part.scope) Object.assign(sync.parameters, { deactivateMissing: true, ...part.scope });
	if (part.ou) workflow.nodes.find((n) => n.name === LDAP_NODE)!.parameters.baseDN = `${part.ou},${STAFF}`;
	workflow.nodes.push({
		name: 'Summary and execution id',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [sync.position[0] + 220, sync.position[1] + 300],
		parameters: {
			mode: 'manual',
			includeOtherFields: true,
			assignments: { assignments: [{ id: randomUUID(), name: 'executionId', value: '={{ $execution.id }}', type: 'string' }] },
			options: {},
		},
	});
	workflow.connections[SYNC] = { main: [[{ node: 'Summary and execution id', type: 'main', index: 0 }]] };
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = (CREDENTIALS as Record<string, { id: string; name: string }>)[type];
			if (credential) node.credentials[type] = { ...credential };
		}
	}
	return workflow;
}

const WHOLE: Part = { path: 'plek-queue-sync' };
const APPROVE: Part = { path: 'plek-queue-approve', scope: {} };

/**
 * The whole organisation with Deactivate Missing on and Max Deactivations 0, so any leaver blocks the run (output,
 * not an error); the Approve Plan value comes from the webhook's body, as an admin would paste it in.
 */
function approvalWorkflow(id: string): WorkflowJson {
	const workflow = webhookWorkflow(id, APPROVE);
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
	const sync = workflow.nodes.find((n) => n.name === SYNC)!;
	sync.parameters.guards = {
		...((sync.parameters.guards as object | undefined) ?? {}),
		whenBlocked: 'output',
		maxDeactivations: 0,
		approvePlan: `={{ $('${trigger.name}').first().json.body.approve ?? '' }}`,
	};
	return workflow;
}
const CARE: Part = { path: 'plek-queue-care', ou: 'OU=Care', scope: { missingScope: 'group', missingScopeGroup: 'Care' } };
const FACILITIES: Part = {
	path: 'plek-queue-facilities',
	ou: 'OU=Facilities',
	scope: { missingScope: 'attribute', missingScopeAttribute: `${ENTERPRISE}:department`, missingScopeValue: 'Facilities' },
};

async function runSync(part: Part = WHOLE, label = part.path, body?: Record<string, string>): Promise<Record<string, any>> {
	const response = await fetch(`${cluster.mainUrl}/webhook/${part.path}`, {
		method: 'POST',
		...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`webhook ${part.path} answered ${response.status}: ${text.slice(0, 2000)}`);
	const summary = JSON.parse(text) as Record<string, any>;
	const worker = cluster.workerOf(String(summary.executionId));
	evidence.push(`${label}: execution ${summary.executionId} on ${worker ?? 'NO WORKER'} (${summary.requests} requests to Plek)`);
	return summary;
}

function expectExactState(): void {
	const users = sandbox.users();
	expect(users).toHaveLength(active.length);
	expect(new Set(users.map((u) => u.externalId))).toEqual(new Set(active.map((p) => p.objectGUID)));
	expect(new Set(users.map((u) => u.userName)).size).toBe(active.length);
}

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true, latencyMs: 3 });
	sandbox.load(groupSeed());
	// n8n reaches the sandbox through the gate, which can make two runs read Plek before either writes.
	gate = await WriteGate.start(sandbox.url);
	ldap = await LdapServer.start({ dir: mkdtempSync(join(tmpdir(), 'plek-queue-ldap-')) });
	cluster = new QueueCluster();
	await cluster.services();
	await cluster.importCredentials([
		{
			...CREDENTIALS.plekApi,
			type: 'plekApi',
			data: {
				environmentUrl: gate.url, authentication: 'clientCredentials', clientId: sandbox.options.clientId,
				clientSecret: sandbox.options.clientSecret, tokenUrl: '', scope: '', clientAuthentication: 'body', scimBasePath: '/scim/v2',
			},
		},
		{
			...CREDENTIALS.ldap,
			type: 'ldap',
			data: {
				hostname: ldap.settings.host, port: String(ldap.settings.port), bindDN: ldap.settings.bindDn,
				bindPassword: ldap.settings.bindPassword, connectionSecurity: 'none', allowUnauthorizedCerts: false, timeout: 300,
			},
		},
	]);
	await cluster.importAndPublish([
		webhookWorkflow('PlekQueueAdSync1', WHOLE),
		webhookWorkflow('PlekQueueAdCare1', CARE),
		webhookWorkflow('PlekQueueAdFac01', FACILITIES),
		approvalWorkflow('PlekQueueAdAppr1'),
	]);
	await cluster.start();
});

afterAll(async () => {
	if (cluster) {
		console.log(
			[
				'Which worker ran what (from the workers\' own logs):',
				...evidence,
				...WORKERS.flatMap((w) => cluster.startLines(w).map((line) => `${w}.log: ${line.trim()}`)),
			].join('\n'),
		);
		await cluster.stop();
	}
	await ldap?.stop();
	await gate?.close();
	await sandbox?.close();
});

test('a webhook on the main is run by a worker: everyone active in AD is created', async () => {
	const summary = await runSync(WHOLE, 'first run');
	expect(summary).toMatchObject({ mode: 'apply', failed: 0, conflicts: 0, overlapped: false, alreadyExisted: 0 });
	expect(summary.done.create).toBe(active.length);
	expectExactState();
	// The main only enqueued it; one worker started it.
	expect(cluster.log('main')).toMatch(new RegExp(`Enqueued execution ${summary.executionId} \\(job`));
	expect(cluster.log('main')).not.toMatch(/Worker started execution/);
	expect(cluster.workerOf(String(summary.executionId))).toBeDefined();
	expect([...cluster.executionsOf('worker1'), ...cluster.executionsOf('worker2')]).toEqual([String(summary.executionId)]);
});

test('two runs at once on two workers leave the exact state, no duplicate; the one that lost reports the overlap', async () => {
	sandbox.load(groupSeed());
	sandbox.resetCounters();
	// Both runs read Plek (empty) before either writes: both plan to create everyone.
	gate.holdWritesUntilListings(2, 120_000);
	let a: Record<string, any>, b: Record<string, any>;
	try {
		[a, b] = await Promise.all([runSync(WHOLE, 'overlap run A'), runSync(WHOLE, 'overlap run B')]);
	} finally {
		gate.disarm();
	}
	const counters = sandbox.counters();
	console.log(
		`overlapping runs: gate ${JSON.stringify(gate.report)}\n` +
			`  A execution ${a.executionId}: ${JSON.stringify({ planned: a.planned.create, done: a.done, alreadyExisted: a.alreadyExisted, overlapped: a.overlapped, requests: a.requests })}\n` +
			`  B execution ${b.executionId}: ${JSON.stringify({ planned: b.planned.create, done: b.done, alreadyExisted: b.alreadyExisted, overlapped: b.overlapped, requests: b.requests })}\n` +
			`  sandbox: ${counters.total} requests, ${counters.writes} writes, ${JSON.stringify(counters.byRoute)}\n` +
			`  executions: ${JSON.stringify(await cluster.executions([String(a.executionId), String(b.executionId)]))}`,
	);
	expect(gate.report.openedBy).toBe('listings');
	// One ran on each worker (each has concurrency 1), at the same time.
	const workers = [cluster.workerOf(String(a.executionId)), cluster.workerOf(String(b.executionId))];
	expect(new Set(workers)).toEqual(new Set(WORKERS));
	const [ra, rb] = await cluster.executions([String(a.executionId), String(b.executionId)]);
	expect(ra.startedAt < rb.stoppedAt && rb.startedAt < ra.stoppedAt).toBe(true);
	expectExactState();
	// Both planned everyone; each person was created exactly once, and the run that found a person already made
	// by the other counts it as alreadyExisted and says it overlapped.
	expect(a.planned.create).toBe(active.length);
	expect(b.planned.create).toBe(active.length);
	expect(a.done.create + b.done.create).toBe(active.length);
	expect(a.done.create + a.alreadyExisted).toBe(active.length);
	expect(b.done.create + b.alreadyExisted).toBe(active.length);
	expect(a.alreadyExisted + b.alreadyExisted).toBe(active.length);
	expect(a.failed + b.failed).toBe(0);
	expect(a.overlapped).toBe(a.alreadyExisted > 0);
	expect(b.overlapped).toBe(b.alreadyExisted > 0);
	expect([a.overlapped, b.overlapped]).toContain(true);
	// The sandbox saw one successful create per person and one answered 409 for each the loser tried.
	const bulk = counters.byRoute['POST /scim/v2/Bulk'] ?? {};
	const singleCreates = counters.byRoute['POST /scim/v2/Users'] ?? {};
	expect((bulk['200'] ?? 0) + (singleCreates['201'] ?? 0)).toBeGreaterThan(0);
});

test('a third run writes nothing', async () => {
	sandbox.resetCounters();
	const summary = await runSync(WHOLE, 'third run');
	expect(summary.unchanged).toBe(active.length);
	expect(Object.values(summary.done as Record<string, number>).every((n) => n === 0)).toBe(true);
	expect(summary.overlapped).toBe(false);
	expect(sandbox.counters().writes).toBe(0);
	expectExactState();
});

describe('scoped syncs: each part deactivates only its own missing people', () => {
	const inOu = (ou: string) => active.filter((p) => p.dn.includes(`${ou},${STAFF}`));
	const byGuid = (p: SamplePerson) => sandbox.users().find((u) => u.externalId === p.objectGUID)!;
	const activeCount = () => sandbox.users().filter((u) => u.active !== false).length;

	test('a part run alone deactivates nobody outside its part (Missing Users Scope: group Care)', async () => {
		expect(inOu('OU=Care').length).toBeGreaterThan(20);
		sandbox.resetCounters();
		const summary = await runSync(CARE, 'Care part, nothing missing');
		// Without the scope every non-Care person would be "missing" (and the guards would block the run).
		expect(summary.blocked ?? null).toBeNull();
		expect(summary.done.deactivate).toBe(0);
		expect(summary.unchanged).toBe(inOu('OU=Care').length);
		expect(sandbox.counters().writes).toBe(0);
		expect(activeCount()).toBe(active.length);
	});

	test('one person gone from each OU: the Care run deactivates only the Care one, the Facilities run only the Facilities one', async () => {
		const [care, facilities] = [inOu('OU=Care')[0], inOu('OU=Facilities')[0]];
		for (const person of [care, facilities]) {
			await ldap.modify(`dn:: ${Buffer.from(person.dn, 'utf8').toString('base64')}\nchangetype: delete\n`);
		}

		const careRun = await runSync(CARE, 'Care part, one Care person gone');
		expect(careRun).toMatchObject({ failed: 0 });
		expect(careRun.blocked ?? null).toBeNull();
		expect(careRun.done.deactivate).toBe(1);
		expect(byGuid(care).active).toBe(false);
		expect(byGuid(facilities).active).not.toBe(false);
		expect(activeCount()).toBe(active.length - 1);

		const facilitiesRun = await runSync(FACILITIES, 'Facilities part, one Facilities person gone');
		expect(facilitiesRun.blocked ?? null).toBeNull();
		expect(facilitiesRun.done.deactivate).toBe(1);
		expect(facilitiesRun.done.reactivate).toBe(0);
		expect(byGuid(facilities).active).toBe(false);
		expect(byGuid(care).active).toBe(false);
		expect(activeCount()).toBe(active.length - 2);
		// Nobody deleted.
		expect(sandbox.users()).toHaveLength(active.length);
	});
});

test('an approval applies once across workers: after a hand reactivation, the same Approve Plan value is refused', async () => {
	const leaver = active.filter((p) => p.dn.includes(`OU=Care,${STAFF}`))[1];
	await ldap.modify(`dn:: ${Buffer.from(leaver.dn, 'utf8').toString('base64')}\nchangetype: delete\n`);
	const leaverAccount = () => sandbox.users().find((u) => u.externalId === leaver.objectGUID)!;

	const blocked = await runSync(APPROVE, 'approval: blocked');
	expect(String(blocked.blocked)).toMatch(/1 deactivations? exceed/);
	const fingerprint = String(blocked.fingerprint);
	expect(fingerprint).toMatch(/^deactivate1-\d{8}T\d{4}Z-[0-9a-f]{20}$/);
	expect(leaverAccount().active).not.toBe(false);

	const applied = await runSync(APPROVE, 'approval: approved', { approve: fingerprint });
	expect(applied).toMatchObject({ approved: true, fingerprint });
	expect(applied.done.deactivate).toBe(1);
	expect(leaverAccount().active).toBe(false);

	// An admin reactivates the leaver by hand; the next run carries the same approval, on whichever worker takes it.
	sandbox.load({ users: sandbox.users().map((u) => (u.externalId === leaver.objectGUID ? { ...u, active: true } : u)), groups: sandbox.groups() });
	sandbox.resetCounters();
	const replay = await runSync(APPROVE, 'approval: replayed', { approve: fingerprint });
	// The worker that takes the replay has no memory of the approval (n8n hands queue-mode workers no static data);
	// the deactivated account's version, part of the fingerprint, refuses it.
	expect(String(replay.blocked)).toContain(`the approved plan ${fingerprint} is not the plan computed now`);
	expect(String(replay.blocked)).toContain('an account it writes to has changed in Plek since');
	expect(replay.approved).not.toBe(true);
	expect(sandbox.counters().writes).toBe(0);
	expect(leaverAccount().active).not.toBe(false);
	const workers = [applied, replay].map((run) => cluster.workerOf(String(run.executionId)));
	evidence.push(`approval applied on ${workers[0]}, replay refused on ${workers[1]}`);
});
