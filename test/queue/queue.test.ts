/**
 * The nodes in n8n queue mode (`npm run test:queue`): Postgres + Redis + an n8n main + two workers
 * (scripts/queue-mode.sh), the AD template with a webhook as trigger, LDAP on loopback, the Plek sandbox in this
 * process. The main receives the webhook; a worker runs the execution (its own user folder, the package installed
 * there as a community package, the credential decrypted with the shared key).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { CREDENTIALS } from '../../scripts/lib/environment';
import { LdapServer } from '../../scripts/lib/ldap';
import type { WorkflowJson } from '../../scripts/lib/n8n';
import { groupSeed, samplePeople } from '../../scripts/lib/samples';
import { loadTemplate } from '../../scripts/lib/workflows';
import { QueueCluster } from './lib/cluster';

const WORKFLOW_ID = 'PlekQueueAdSync1';
const SYNC = 'Sync to Plek';
const active = samplePeople().filter((p) => p.active);

let cluster: QueueCluster;
let sandbox: RunningSandbox;
let ldap: LdapServer;

/** The AD template with a Webhook instead of its Schedule Trigger; the Sync's Summary is the webhook's answer. */
function webhookWorkflow(): WorkflowJson {
	const workflow = structuredClone(loadTemplate('active-directory-ldap'));
	workflow.id = WORKFLOW_ID;
	delete workflow.settings?.errorWorkflow;
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
	Object.assign(trigger, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: 'plek-queue-sync', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	});
	// Sync is the last node, so its first output item (the Summary) answers the webhook.
	delete workflow.connections[SYNC];
	// The template ships in Dry Run; this test syncs.
	workflow.nodes.find((n) => n.name === SYNC)!.parameters.mode = 'apply';
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = (CREDENTIALS as Record<string, { id: string; name: string }>)[type];
			if (credential) node.credentials[type] = { ...credential };
		}
	}
	return workflow;
}

async function runSync(): Promise<Record<string, any>> {
	const response = await fetch(`${cluster.mainUrl}/webhook/plek-queue-sync`, { method: 'POST' });
	const text = await response.text();
	if (!response.ok) throw new Error(`webhook answered ${response.status}: ${text}`);
	return JSON.parse(text);
}

function expectExactState(): void {
	const users = sandbox.users();
	expect(users).toHaveLength(active.length);
	expect(new Set(users.map((u) => u.externalId))).toEqual(new Set(active.map((p) => p.objectGUID)));
	expect(new Set(users.map((u) => u.userName)).size).toBe(active.length);
}

beforeAll(async () => {
	// Latency makes two runs' writes interleave for certain.
	sandbox = await startSandbox({ quiet: true, latencyMs: 3 });
	sandbox.load(groupSeed());
	ldap = await LdapServer.start({ dir: mkdtempSync(join(tmpdir(), 'plek-queue-ldap-')) });
	cluster = new QueueCluster();
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
		{
			...CREDENTIALS.ldap,
			type: 'ldap',
			data: {
				hostname: ldap.settings.host, port: String(ldap.settings.port), bindDN: ldap.settings.bindDn,
				bindPassword: ldap.settings.bindPassword, connectionSecurity: 'none', allowUnauthorizedCerts: false, timeout: 300,
			},
		},
	]);
	await cluster.importAndPublish(webhookWorkflow());
	await cluster.start();
});

afterAll(async () => {
	if (cluster) {
		for (const name of ['worker1', 'worker2'] as const) console.log(`${name} ran executions: ${cluster.executionsOf(name).join(', ')}`);
		await cluster.stop();
	}
	await ldap?.stop();
	await sandbox?.close();
});

test('a webhook on the main is run by a worker: everyone active in AD is created', async () => {
	const summary = await runSync();
	expect(summary).toMatchObject({ mode: 'apply', failed: 0, conflicts: 0 });
	expect(summary.done.create).toBe(active.length);
	expectExactState();
	const ran = [...cluster.executionsOf('worker1'), ...cluster.executionsOf('worker2')];
	expect(ran).toHaveLength(1);
	// The main only queued it.
	expect(cluster.log('main')).not.toMatch(/started execution/i);
});

test('two runs at once on two workers leave the exact state, no duplicate; both report honestly', async () => {
	sandbox.load(groupSeed());
	sandbox.resetCounters();
	const before = { w1: cluster.executionsOf('worker1').length, w2: cluster.executionsOf('worker2').length };
	const [a, b] = await Promise.all([runSync(), runSync()]);
	console.log(`overlapping runs: A ${JSON.stringify({ done: a.done, alreadyExisted: a.alreadyExisted, requests: a.requests })}; ` +
		`B ${JSON.stringify({ done: b.done, alreadyExisted: b.alreadyExisted, requests: b.requests })}; sandbox ${JSON.stringify(sandbox.counters().byRoute)}`);
	// Each worker (concurrency 1) took one of the two.
	expect(cluster.executionsOf('worker1').length - before.w1).toBe(1);
	expect(cluster.executionsOf('worker2').length - before.w2).toBe(1);
	expectExactState();
	// Every person created exactly once; what one run found already made by the other it reports as alreadyExisted.
	expect(a.done.create + b.done.create).toBe(active.length);
	expect(a.done.create + a.alreadyExisted).toBe(a.planned.create);
	expect(b.done.create + b.alreadyExisted).toBe(b.planned.create);
	expect(a.failed + b.failed).toBe(0);
	// The overlap guard: a run that found creates already made reports that it overlapped.
	expect(a.overlapped).toBe(a.alreadyExisted > 0);
	expect(b.overlapped).toBe(b.alreadyExisted > 0);
	expect(a.alreadyExisted + b.alreadyExisted).toBeGreaterThan(0);
});

test('a third run writes nothing', async () => {
	sandbox.resetCounters();
	const summary = await runSync();
	expect(summary.unchanged).toBe(active.length);
	expect(Object.values(summary.done as Record<string, number>).every((n) => n === 0)).toBe(true);
	expect(sandbox.counters().writes).toBe(0);
	expectExactState();
});
