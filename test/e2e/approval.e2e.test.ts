/**
 * Issue 14, item 1 in real n8n: templates/hr-csv-export-with-approval.json running in `n8n start` (a server: the
 * Send and Wait step needs n8n's resume webhook). A source that trips a guard blocks the run, the Send Email node
 * e-mails the plan to the SMTP sink and the execution waits; the test follows the e-mail's links like an admin:
 * - Plek changed after the e-mail: "Apply this plan" writes nothing and the run fails, saying what changed;
 * - approved: the second Plek Sync applies exactly the previewed plan (the same people, nothing else);
 * - a changed source after that approval blocks again (an approval is for one plan), "Do not apply" fails the run;
 * - a re-run writes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEditor, type RunningEditor } from '../../scripts/lib/editor';
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { freePort } from '../../scripts/lib/ports';
import { PATCH_OP } from '../support/scim';
import { groupSeed } from '../../scripts/lib/samples';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';

const WORKFLOW_ID = 'PlekE2eApproval1';
const WEBHOOK_PATH = 'plek-approval-e2e';
/** What an admin's browser sends: n8n ignores approval links opened by bots and link previews. */
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

let env: E2eEnvironment;
let sink: SmtpSink;
let editor: RunningEditor;
let cookie: string;
let csvPath: string;
let sample: string[];
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-approval-'));

interface Execution {
	id: string;
	status: string;
}

async function rest<T>(path: string): Promise<T> {
	const response = await fetch(`${editor.url}${path}`, { headers: { cookie: `n8n-auth=${cookie}` } });
	if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
	return ((await response.json()) as { data: T }).data;
}

async function executions(): Promise<Execution[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
	const data = await rest<{ results: Array<{ id: string | number; status: string }> }>(`/rest/executions?filter=${filter}&limit=50`);
	return data.results.map((e) => ({ id: String(e.id), status: e.status }));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await probe();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`timed out waiting for ${what}`);
}

const SETTLED = ['success', 'error', 'crashed', 'canceled', 'waiting'];

/** Starts the workflow through its webhook and waits until that execution succeeds, fails or waits. */
async function runWorkflow(): Promise<Execution> {
	const before = new Set((await executions()).map((e) => e.id));
	const response = await fetch(`${editor.url}/webhook/${WEBHOOK_PATH}`, { method: 'POST' });
	expect(response.status).toBe(200);
	return await until('the new execution to settle', async () =>
		(await executions()).find((e) => !before.has(e.id) && SETTLED.includes(e.status)),
	);
}

async function settled(id: string): Promise<Execution> {
	return await until(`execution ${id} to finish`, async () =>
		(await executions()).find((e) => e.id === id && SETTLED.includes(e.status) && e.status !== 'waiting'),
	);
}

/** The saved execution as n8n stores it (flatted JSON): enough to look for a message in it. */
async function executionText(id: string): Promise<string> {
	return JSON.stringify(await rest<unknown>(`/rest/executions/${id}`));
}

function approvalMails(): ReceivedMail[] {
	return sink.messages.filter((m) => m.subject.startsWith('Plek user sync blocked: apply plan'));
}

async function nextApprovalMail(count: number): Promise<ReceivedMail> {
	return await until('the approval e-mail', async () => approvalMails()[count]);
}

/** The link behind one of the e-mail's buttons (n8n's signed resume URL). */
function link(mail: ReceivedMail, approved: boolean): string {
	const href = [...mail.text.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')).find((h) => h.includes(`approved=${approved}`));
	if (!href) throw new Error(`no ${approved ? 'approve' : 'decline'} link in the e-mail:\n${mail.text}`);
	expect(href).toContain('/webhook-waiting/');
	return href.replace('//localhost:', '//127.0.0.1:');
}

async function click(url: string): Promise<void> {
	const response = await fetch(url, { headers: { 'user-agent': BROWSER } });
	expect(response.status).toBe(200);
}

/** The sample export with the last `leavers` active people marked as leavers (actief = nee). */
function writeCsv(leavers: number): string[] {
	const [header, ...rows] = sample;
	const cells = rows.map((r) => r.split(';'));
	const active = cells.filter((c) => c[7] === 'ja' && (c[8] ?? '') === '');
	const marked = new Set(active.slice(active.length - leavers));
	writeFileSync(csvPath, [header, ...cells.map((c) => (marked.has(c) ? [...c.slice(0, 7), 'nee', ...c.slice(8)] : c).join(';'))].join('\n') + '\n');
	return [...marked].map((c) => c[0]);
}

/** Someone deactivates a person in Plek by hand (through SCIM, as an admin tool would). */
async function deactivateInPlek(externalId: string): Promise<void> {
	const { sandbox } = env;
	const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.options.clientId, client_secret: sandbox.options.clientSecret });
	const token = ((await (await fetch(sandbox.tokenUrl, { method: 'POST', body: form })).json()) as { access_token: string }).access_token;
	const user = sandbox.users().find((u) => u.externalId === externalId);
	const response = await fetch(`${sandbox.scimUrl}/Users/${String(user?.id)}`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
		body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] }),
	});
	expect(response.ok).toBe(true);
}

const activeByKey = () => new Map(env.sandbox.users().map((u) => [String(u.externalId), u.active === true]));

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	sample = readFileSync(csvPath, 'utf8').trim().split('\n');
	sink = await startSmtpSink();
	env = await startEnvironment({ smtp: { host: sink.host, port: sink.port }, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	env.sandbox.load(groupSeed());
	// A webhook starts the workflow instead of the daily schedule; everything else is the template as shipped.
	const trigger = (node: WorkflowNode) => {
		Object.assign(node, { type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: '0d5c8a8e-2b1f-4c3e-9a77-approvale2e1' });
		node.parameters = { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} };
	};
	const patch = { ...localPatches(env, { csvPath }), 'Every day at 06:30': trigger };
	await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export-with-approval'), { id: WORKFLOW_ID, credentials: { ...CREDENTIALS }, patch }));
	const published = await env.n8n.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
	if (published.code !== 0) throw new Error(`publish:workflow failed: ${published.stdout}\n${published.stderr}`);
	editor = await startEditor(env, { port: await freePort() });
	cookie = await editor.login();
}, 600_000);

afterAll(async () => {
	await editor?.stop();
	await env?.close();
	await sink?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

test('blocked -> e-mail -> approve from the e-mail applies exactly the previewed plan; stale and changed plans block; re-run writes nothing', async () => {
	writeCsv(0);
	expect((await runWorkflow()).status).toBe('success');
	expect(approvalMails()).toHaveLength(0);

	// 30 leavers: over Max Deactivations (25). Nothing written, the execution waits for the admin.
	const leavers = writeCsv(30);
	env.sandbox.resetCounters();
	const first = await runWorkflow();
	expect(first.status).toBe('waiting');
	const mailA = await nextApprovalMail(0);
	const fingerprintA = /apply plan (deactivate30-\d{8}T\d{4}Z-[0-9a-f]{20})\?/.exec(mailA.subject)?.[1];
	expect(fingerprintA).toBeDefined();
	expect(mailA.text).toContain('30 deactivation(s) planned');
	expect(mailA.text).toContain(`PLAN ${fingerprintA}`);
	const named = [...mailA.text.matchAll(/^deactivate \S+@\S+ \(key "(\d+)"\)$/gm)].map((m) => m[1]);
	expect(named).toHaveLength(10);
	expect(named.every((key) => leavers.includes(key))).toBe(true);
	expect(env.sandbox.counters().writes).toBe(0);

	// Plek changed after the e-mail went out: the approved plan is not the plan now. Nothing written, the run fails.
	await deactivateInPlek(leavers[0]);
	env.sandbox.resetCounters();
	await click(link(mailA, true));
	expect((await settled(first.id)).status).toBe('error');
	expect(await executionText(first.id)).toContain('approved: 30 deactivate; now: 29 deactivate');
	expect(env.sandbox.counters().writes).toBe(0);

	// The next run asks again for the plan as it is now; approving it applies exactly those 29 deactivations.
	const second = await runWorkflow();
	expect(second.status).toBe('waiting');
	const mailB = await nextApprovalMail(1);
	const fingerprintB = /apply plan (deactivate29-\d{8}T\d{4}Z-[0-9a-f]{20})\?/.exec(mailB.subject)?.[1];
	expect(fingerprintB).toBeDefined();
	const before = activeByKey();
	env.sandbox.resetCounters();
	await click(link(mailB, true));
	expect((await settled(second.id)).status).toBe('success');
	expect(env.sandbox.counters().writes).toBe(29);
	const after = activeByKey();
	const flipped = [...before].filter(([key, active]) => after.get(key) !== active).map(([key]) => key);
	expect(flipped.sort()).toEqual(leavers.slice(1).sort());
	expect(leavers.every((key) => after.get(key) === false)).toBe(true);
	const report = await until('the approved run report', async () => sink.messages.find((m) => m.subject.startsWith(`Plek user sync: approved plan ${fingerprintB} applied (0 failed)`)));
	expect(report.text).toMatch(/Deactivated: +29/);

	// The approval was for that plan only: 30 more leavers block again, "Do not apply" writes nothing and fails.
	writeCsv(60);
	env.sandbox.resetCounters();
	const third = await runWorkflow();
	expect(third.status).toBe('waiting');
	const mailC = await nextApprovalMail(2);
	expect(mailC.subject).toMatch(/apply plan deactivate30-\d{8}T\d{4}Z-[0-9a-f]{20}\?/);
	expect(mailC.subject).not.toContain(fingerprintA);
	await click(link(mailC, false));
	expect((await settled(third.id)).status).toBe('error');
	expect(await executionText(third.id)).toContain('was not approved');
	expect(env.sandbox.counters().writes).toBe(0);

	// The approved state again: nothing to write, nothing to approve.
	writeCsv(30);
	env.sandbox.resetCounters();
	expect((await runWorkflow()).status).toBe('success');
	expect(env.sandbox.counters().writes).toBe(0);
	expect(approvalMails()).toHaveLength(3);
});
