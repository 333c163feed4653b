/**
 * The Active Directory template (templates/active-directory-ldap.json) in real n8n against a real LDAP server
 * (OpenLDAP on loopback, holding the AD-shaped sample organisation) and the Plek sandbox.
 */
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import type { ExecutionResult } from '../../scripts/lib/n8n';
import { ENTERPRISE, groupSeed, membersByGroup, SamplePerson, samplePeople } from '../../scripts/lib/samples';
import { SmtpSink, startSmtpSink } from '../../scripts/lib/smtp-sink';
import { localTemplate } from '../../scripts/lib/templates';
import { findNode, loadTemplate, toHeadless } from '../../scripts/lib/workflows';

const SYNC = 'Sync to Plek';
const MAPPER = 'Map to Plek users';

let env: E2eEnvironment;
let smtp: SmtpSink;
const people = samplePeople();
const active = people.filter((p) => p.active);
const leavers = people.filter((p) => !p.active);

const APPLY_ID = 'PlekE2eAdApply01';
const DRY_RUN_ID = 'PlekE2eAdDryRun1';
const GUARDED_ID = 'PlekE2eAdGuard01';

beforeAll(async () => {
	smtp = await startSmtpSink();
	env = await startEnvironment({ ldap: true, smtp: { host: smtp.host, port: smtp.port } });
	env.sandbox.load(groupSeed());
	const template = loadTemplate('active-directory-ldap');
	const credentials = { ...CREDENTIALS };
	await env.n8n.importWorkflow(toHeadless(template, { id: APPLY_ID, credentials }));
	await env.n8n.importWorkflow(
		toHeadless(template, {
			id: DRY_RUN_ID,
			name: 'AD template (as shipped: Dry Run)',
			credentials,
			syncMode: 'asShipped',
		}),
	);
	// The template as scheduled in production: with its error workflow (imported under the id the template names).
	await env.n8n.importWorkflow(localTemplate('error-workflow', env));
	await env.n8n.importWorkflow(toHeadless(template, { id: GUARDED_ID, name: 'AD template (with error workflow)', credentials, keepErrorWorkflow: true }));
});

afterAll(async () => {
	await env?.close();
	await smtp?.close();
});


function summaryOf(result: ExecutionResult) {
	const [summary] = result.output(SYNC)[0];
	return summary;
}

const userByKey = (key: string) => env.sandbox.users().find((u) => u.externalId === key);
const pick = (predicate: (p: SamplePerson) => boolean, skip = 0) => active.filter(predicate)[skip];

test('the template is valid: Schedule Trigger first, our node types, the report path', () => {
	const template = loadTemplate('active-directory-ldap');
	expect(findNode(template, 'n8n-nodes-base.scheduleTrigger')).toBeDefined();
	expect(findNode(template, 'n8n-nodes-plek.plekMapper').parameters.mappingKey).toBe('$adGuid(objectGUID)');
	expect(findNode(template, 'n8n-nodes-plek.plekSync')).toBeDefined();
	expect(findNode(template, 'n8n-nodes-base.emailSend')).toBeDefined();
	expect(findNode(template, 'n8n-nodes-base.ldap').parameters.operation).toBe('search');
});

test('as shipped (Dry Run) the first click writes nothing and the report says "dry run: N would change"', async () => {
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(DRY_RUN_ID);
	// The tests after this one expect an empty mailbox.
	const mails = smtp.messages.splice(0);
	expectOk(result);
	const summary = summaryOf(result);
	expect(Object.keys(summary)[0]).toBe('decision');
	expect(summary.decision).toMatch(new RegExp(`^Dry run: ${active.length} would change \\(${active.length} create, .*\\), nothing was written`));
	expect(summary).toMatchObject({ mode: 'dryRun', dryRun: true, wouldChange: active.length });
	expect(env.sandbox.counters().writes).toBe(0);
	expect(env.sandbox.users()).toHaveLength(0);
	const [first] = result.output(SYNC)[1];
	expect(first).toMatchObject({ status: 'planned', actions: expect.arrayContaining(['create']), userName: expect.stringContaining('@'), displayName: expect.any(String) });
	// The report goes out (planned writes are something to look at), never through "All in step".
	expect(() => result.output('All in step')).toThrow(/did not run/);
	expect(mails).toHaveLength(1);
	expect(mails[0].subject).toMatch(new RegExp(`^\\[dry run: ${active.length} would change\\] Plek user sync`));
	expect(mails[0].text).toContain(summary.decision);
});

test('first sync creates every active person from AD, with profile and groups; leavers are not created', async () => {
	const result = await env.n8n.execute(APPLY_ID);
	expectOk(result);
	const summary = summaryOf(result);
	expect(summary).toMatchObject({ mode: 'apply', dryRun: false, failed: 0, conflicts: 0 });
	expect(summary.done.create).toBe(active.length);
	expect(result.output(MAPPER)[0]).toHaveLength(people.length);
	expect(result.output(MAPPER)[1]).toHaveLength(0);

	const users = env.sandbox.users();
	expect(users).toHaveLength(active.length);
	expect(new Set(users.map((u) => u.externalId))).toEqual(new Set(active.map((p) => p.objectGUID)));
	for (const leaver of leavers) expect(userByKey(leaver.objectGUID)).toBeUndefined();

	const somebody = active[10];
	const user = userByKey(somebody.objectGUID)!;
	expect(user).toMatchObject({
		userName: somebody.mail,
		active: true,
		name: { givenName: somebody.givenName, familyName: somebody.sn },
		title: somebody.title,
		[ENTERPRISE]: expect.objectContaining({ department: somebody.department, employeeNumber: somebody.employeeNumber }),
	});
	const members = membersByGroup(env.sandbox.groups());
	expect(members.get('All staff')!.size).toBe(active.length);
	const care = active.filter((p) => p.department === 'Care');
	expect(members.get('Care')!.size).toBe(care.length);
	for (const p of care) expect(members.get('Care')!.has(userByKey(p.objectGUID)!.id)).toBe(true);

	// Nothing to report: the report path took the quiet branch.
	expect(result.output('All in step')[0]).toHaveLength(1);
	expect(smtp.messages).toHaveLength(0);
});

test('a second run with nothing changed in AD writes nothing', async () => {
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(APPLY_ID);
	expectOk(result);
	const summary = summaryOf(result);
	expect(summary.unchanged).toBe(active.length);
	expect(Object.values(summary.done).every((n) => n === 0)).toBe(true);
	expect(result.output(SYNC)[1]).toHaveLength(0);
	expect(env.sandbox.counters().writes).toBe(0);
});

test('a leaver (account disabled in AD) is deactivated, not deleted', async () => {
	const leaver = pick((p) => p.department === 'Facilities' && !p.title.includes('Manager'));
	await env.ldap!.replace(leaver.dn, 'userAccountControl', String(leaver.userAccountControl | 2));
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(APPLY_ID);
	expectOk(result);
	expect(summaryOf(result).done.deactivate).toBe(1);
	const [change] = result.output(SYNC)[1];
	expect(change).toMatchObject({ key: leaver.objectGUID, actions: expect.arrayContaining(['deactivate']), status: 'done' });
	expect(userByKey(leaver.objectGUID)).toMatchObject({ active: false });
	expect(env.sandbox.users()).toHaveLength(active.length);
	expect(env.sandbox.counters().byRoute['DELETE /scim/v2/Users/:id']).toBeUndefined();
});

test('a department change updates the profile and adds the new group, keeping the old one', async () => {
	const mover = pick((p) => p.department === 'Care' && p.title === 'Nurse');
	await env.ldap!.replace(mover.dn, 'department', 'ICT');
	const result = await env.n8n.execute(APPLY_ID);
	expectOk(result);
	const summary = summaryOf(result);
	expect(summary.done.update).toBe(1);
	expect(summary.done.groupAdd).toBeGreaterThanOrEqual(1);
	const user = userByKey(mover.objectGUID)!;
	expect(user[ENTERPRISE].department).toBe('ICT');
	const members = membersByGroup(env.sandbox.groups());
	expect(members.get('ICT')!.has(user.id)).toBe(true);
	expect(members.get('Care')!.has(user.id)).toBe(true); // Plek adds only (removal is an opt-in)
});

test('a dry run outputs the plan and writes nothing; the real run then applies it', async () => {
	const promoted = pick((p) => p.department === 'Finance' && !p.title.includes('Manager'));
	await env.ldap!.replace(promoted.dn, 'title', 'Senior Controller');
	env.sandbox.resetCounters();
	const mailsBeforeDry = smtp.messages.length;
	const dry = await env.n8n.execute(DRY_RUN_ID);
	expectOk(dry);
	// A dry run that would change something reports it, saying so in the subject.
	expect(smtp.messages.slice(mailsBeforeDry).map((mail) => mail.subject)).toEqual([expect.stringContaining('[dry run: 1 would change]')]);
	const summary = summaryOf(dry);
	expect(summary).toMatchObject({ mode: 'dryRun', dryRun: true });
	expect(summary.planned.update).toBe(1);
	expect(dry.output(SYNC)[1]).toEqual([expect.objectContaining({ key: promoted.objectGUID, status: 'planned' })]);
	expect(env.sandbox.counters().writes).toBe(0);
	expect(userByKey(promoted.objectGUID)!.title).toBe(promoted.title);

	const real = await env.n8n.execute(APPLY_ID);
	expectOk(real);
	expect(userByKey(promoted.objectGUID)!.title).toBe('Senior Controller');
});

test('records that cannot be mapped are reported by e-mail with the run summary', async () => {
	const broken = pick((p) => p.department === 'HR');
	await env.ldap!.replace(broken.dn, 'mail', 'not-an-e-mail-address');
	const mailsBefore = smtp.messages.length;
	const result = await env.n8n.execute(APPLY_ID);
	expectOk(result);
	expect(result.output(MAPPER)[1]).toHaveLength(1);
	expect(result.output('E-mail the run report')[0]).toHaveLength(1);
	// Exactly one report for this run (the dry run before it sent its own).
	expect(smtp.messages.slice(mailsBefore)).toHaveLength(1);
	const [mail] = smtp.messages.slice(mailsBefore);
	expect(mail.subject).toContain('Plek user sync (Active Directory)');
	expect(mail.text).toContain('SUMMARY');
	expect(mail.text).toMatch(/Unchanged:\s+\d+/);
	expect(mail.text).toContain('RECORDS THE PLEK MAPPER COULD NOT MAP (1)');
	expect(mail.text).toContain('not-an-e-mail-address');
	// The broken record is not in the input any more, but nobody is deactivated for missing (off by default).
	expect(userByKey(broken.objectGUID)).toMatchObject({ active: true });
});

test('a mass deactivation trips the safety guard: nothing is written and the run fails naming the count', async () => {
	const victims = active.filter((p) => p.department === 'Care').slice(0, 30);
	const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
	await env.ldap!.modify(
		victims.map((p) => `dn:: ${b64(p.dn)}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: ${p.userAccountControl | 2}\n-\n`).join('\n'),
	);
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(GUARDED_ID);
	expect(result.ok).toBe(false);
	expect(result.errorMessage).toMatch(/30/);
	expect(result.run?.data.resultData.lastNodeExecuted).toBe(SYNC);
	expect(env.sandbox.counters().writes).toBe(0);
	for (const p of victims) expect(userByKey(p.objectGUID)).toMatchObject({ active: true });

	// n8n hands such a failure to the error workflow. `n8n execute` exits before that finishes, so run the error
	// workflow here with the Error Trigger's data for this failure (Manual Trigger -> the same data -> e-mail).
	const errorData = {
		execution: {
			id: '42',
			url: 'http://localhost:5678/workflow/PlekE2eAdGuard01/executions/42',
			error: result.run!.data.resultData.error,
			lastNodeExecuted: SYNC,
			mode: 'trigger',
		},
		workflow: { id: GUARDED_ID, name: 'AD template (with error workflow)' },
	};
	const errorWorkflow = localTemplate('error-workflow', env);
	errorWorkflow.id = 'PlekE2eErrorWf01';
	const trigger = findNode(errorWorkflow, 'n8n-nodes-base.errorTrigger');
	Object.assign(trigger, {
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: { mode: 'raw', jsonOutput: JSON.stringify(errorData), options: {} },
	});
	errorWorkflow.nodes.push({ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-200, 100], parameters: {} });
	errorWorkflow.connections.Start = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	await env.n8n.importWorkflow(errorWorkflow);
	const mailsBefore = smtp.messages.length;
	expectOk(await env.n8n.execute(errorWorkflow.id));
	const [mail] = smtp.messages.slice(mailsBefore);
	expect(mail.subject).toBe('Plek user sync FAILED: AD template (with error workflow)');
	expect(mail.text).toContain('in the node "Sync to Plek"');
	expect(mail.text).toMatch(/Error: .*30/);
	expect(mail.text).toContain('nothing was written to Plek');
});
