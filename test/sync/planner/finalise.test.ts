// One final decision per object: finalise.ts turns a draft into its final decision without changing the draft
// (drafts are frozen here, so any write to them throws), and what the run-wide facts add lands on the final one.
import { contextOf } from '../../../core/sync/planner';
import { decideRecord, type AdoptionClaim } from '../../../core/sync/planner/decide';
import type { Decision } from '../../../core/sync/planner/decision';
import { indexDirectory } from '../../../core/sync/planner/directory';
import { finalDecision, type RunFacts } from '../../../core/sync/planner/finalise';
import { managerFacts, MANAGER_PATH } from '../../../core/sync/planner/managers';
import { matchRecord } from '../../../core/sync/planner/match';
import { resolveLifecycleOptions, resolveSyncOptions } from '../../../core/sync/planner/options';
import { indexProtection, protectionFacts } from '../../../core/sync/planner/protected';
import { parseUserRecord, type ParsedUserRecord } from '../../../core/record';
import type { SyncOptions } from '../../../core/sync/types';
import type { PlekUserRecord, ScimGroup, ScimUser } from '../../../core/types';
import { ENT, group, plekUser, record, WORK_EMAIL } from './helpers';

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const inner of Object.values(value)) deepFreeze(inner);
	}
	return value;
}

/** Drafts of the records (as planSync decides them before the run-wide facts), frozen, and the facts over them. */
function draftsAndFacts(records: PlekUserRecord[], users: ScimUser[], groups: ScimGroup[] = [], options: SyncOptions = {}) {
	const o = resolveSyncOptions(options);
	const life = resolveLifecycleOptions(options);
	const dir = indexDirectory({ users, groups });
	const keys = new Set(records.map((r) => r.key));
	const ctx = contextOf(o, life, dir, keys, options);
	ctx.explainKey = options.explainKey;
	const drafts = records.map((raw) => {
		const parsed = parseUserRecord(raw);
		if (!parsed.ok) throw new Error(parsed.problems.join('; '));
		const rec = parsed.record as ParsedUserRecord;
		const found = dir.managedUser(rec.key);
		const outcome = decideRecord(rec, matchRecord(rec, found, ctx), ctx) as Decision | AdoptionClaim;
		if ('by' in outcome) throw new Error('an adoption claim: not a draft of this test');
		return deepFreeze(outcome);
	});
	const index = indexProtection(life, ctx);
	const facts: RunFacts = { ctx, managers: managerFacts(drafts, ctx, index), protection: protectionFacts(drafts, index) };
	return { drafts, facts };
}

describe('finalDecision: a draft becomes its final decision once, the draft unchanged', () => {
	test('a manager in Plek joins the frozen draft\'s update PATCH on a new decision', () => {
		const boss = plekUser('boss');
		const sub = plekUser('sub', { title: 'Old' });
		const { drafts, facts } = draftsAndFacts([record('boss'), record('sub', { manager: 'boss', profile: { ...record('sub').profile, title: 'New' } })], [boss, sub], [], { explainKey: 'sub' });
		const draft = drafts[1];
		expect(draft.steps.map((s) => s.kind)).toEqual(['update']);
		const final = finalDecision(draft, 'record', facts);
		expect(final).not.toBe(draft);
		const update = final.steps[0];
		expect(update.kind === 'update' && update.operations.map((op) => op.path)).toEqual(['title', MANAGER_PATH]);
		expect(update.kind === 'update' && update.operations[1].value).toEqual({ value: boss.id });
		// The draft's own update is what it was: one operation, no manager.
		expect(draft.steps[0].kind === 'update' && draft.steps[0].operations).toHaveLength(1);
		expect(final.trace?.at(-1)).toMatch(/^Manager differs: .*"boss"/);
		expect(draft.trace?.some((line) => line.startsWith('Manager'))).toBe(false);
	});

	test('a manager created in the same run: a manager step after the frozen draft\'s create', () => {
		const { drafts, facts } = draftsAndFacts([record('boss'), record('sub', { manager: 'boss' })], []);
		const final = finalDecision(drafts[1], 'record', facts);
		expect(final.steps.map((s) => s.kind)).toEqual(['create', 'manager']);
		expect(drafts[1].steps.map((s) => s.kind)).toEqual(['create']);
	});

	test('a manager that does not exist: an unknownManager Issue on the final decision only', () => {
		const { drafts, facts } = draftsAndFacts([record('sub', { manager: 'ghost' })], []);
		const final = finalDecision(drafts[0], 'record', facts);
		expect(final.issues.map((i) => i.type)).toEqual(['unknownManager']);
		expect(drafts[0].issues).toEqual([]);
	});

	test('a protected account: the final decision drops the writes and says which; the draft keeps them', () => {
		const admin = plekUser('admin', { title: 'Old' });
		const options = { protectedAccounts: [admin.userName] };
		const { drafts, facts } = draftsAndFacts([record('admin', { profile: { ...record('admin').profile, title: 'New' } })], [admin], [], options);
		const final = finalDecision(drafts[0], 'record', facts);
		expect(final.rule).toBe('protectedAccount');
		expect(final.steps).toEqual([]);
		expect(final.protectedBy).toEqual({ by: 'list', user: admin, dropped: ['update'] });
		expect(drafts[0].rule).toBe('matched');
		expect(drafts[0].steps.map((s) => s.kind)).toEqual(['update']);
	});

	test('a member of the protected group is judged on the writes its manager added too', () => {
		const boss = plekUser('boss');
		const member = plekUser('member');
		const { drafts, facts } = draftsAndFacts([record('boss'), record('member', { manager: 'boss' })], [boss, member], [group('Admins', [member])], { protectedGroup: 'Admins' });
		expect(drafts[1].steps).toEqual([]);
		const final = finalDecision(drafts[1], 'record', facts);
		expect(final.protectedBy?.dropped).toEqual(['update']);
		expect(final.steps).toEqual([]);
	});

	test('a look-alike of a protected userName: a conflict on the final decision, the draft still creates', () => {
		// The list names an account Plek lacks today: a record must not take its name (and with it, protection).
		const { drafts, facts } = draftsAndFacts([record('intruder', { userName: 'ROOT@acme.nl' })], [], [], { protectedAccounts: ['root@acme.nl'] });
		const final = finalDecision(drafts[0], 'record', facts);
		expect(final.action).toBe('conflict');
		expect(final.issues[0].reason).toContain('Protected Accounts list');
		expect(drafts[0].steps.map((s) => s.kind)).toEqual(['create']);
		expect(drafts[0].issues).toEqual([]);
	});

	test('a leave date ahead is set on the final decision of a record, never of another kind of draft', () => {
		const now = '2027-01-10';
		const { drafts, facts } = draftsAndFacts([record('leaver', { leaveDate: '2027-03-31' })], [plekUser('leaver')], [], { now, explainKey: 'leaver' });
		expect(finalDecision(drafts[0], 'record', facts).leavesOn).toBe('2027-03-31');
		expect(finalDecision(drafts[0], 'other', facts).leavesOn).toBeUndefined();
		expect(drafts[0].leavesOn).toBeUndefined();
	});

	test('a look-alike refused keeps the Issues the draft already had (its unknown manager)', () => {
		const { drafts, facts } = draftsAndFacts([record('intruder', { userName: 'root@acme.nl', manager: 'ghost' })], [], [], { protectedAccounts: ['root@acme.nl'] });
		const final = finalDecision(drafts[0], 'record', facts);
		expect(final.issues.map((i) => i.type)).toEqual(['unknownManager', 'conflict']);
		expect(final.steps).toEqual([]);
	});

	test('a manager Plek already has: for the explained person a trace line on a new decision, nothing written', () => {
		const boss = plekUser('boss');
		const sub = plekUser('sub', { [ENT]: { manager: { value: boss.id } } });
		const { drafts, facts } = draftsAndFacts([record('boss'), record('sub', { manager: 'boss' })], [boss, sub], [], { explainKey: 'sub' });
		const final = finalDecision(drafts[1], 'record', facts);
		expect(final.steps).toEqual([]);
		expect(final.trace?.at(-1)).toBe('Manager "boss": Plek already has it.');
		expect(drafts[1].trace?.at(-1)).not.toBe('Manager "boss": Plek already has it.');
		// Not explained: no trace, so the draft itself is final.
		const quiet = draftsAndFacts([record('boss'), record('sub', { manager: 'boss' })], [boss, sub]);
		expect(finalDecision(quiet.drafts[1], 'record', quiet.facts)).toBe(quiet.drafts[1]);
	});

	test('a protected group that two Plek groups are named: the protection index says so (the plan fails closed)', () => {
		const { facts } = draftsAndFacts([record('a')], [plekUser('a')], [group('Admins', [], 'g1'), group('admins', [], 'g2')], { protectedGroup: 'Admins' });
		expect(facts.protection.index.groupProblem).toBe('several Plek groups are named "Admins" (the protected group)');
	});

	test('a look-alike by e-mail, or by a rename of an existing account: refused, naming what', () => {
		const byEmail = draftsAndFacts([record('intruder', { profile: { [WORK_EMAIL]: 'Root@acme.nl' } })], [], [], { protectedAccounts: ['root@acme.nl'] });
		const email = finalDecision(byEmail.drafts[0], 'record', byEmail.facts);
		expect(email.issues[0]).toMatchObject({ type: 'conflict', action: 'create' });
		expect(email.issues[0].reason).toContain('the e-mail address "Root@acme.nl"');
		const mover = plekUser('mover');
		const byRename = draftsAndFacts([record('mover', { userName: 'root@acme.nl' })], [mover], [], { protectedAccounts: ['root@acme.nl'] });
		const rename = finalDecision(byRename.drafts[0], 'record', byRename.facts);
		expect(byRename.drafts[0].steps.map((s) => s.kind)).toEqual(['update']);
		expect(rename.steps).toEqual([]);
		expect(rename.issues[0]).toMatchObject({ type: 'conflict', action: 'update' });
		expect(rename.issues[0].reason).toContain('the userName "root@acme.nl"');
	});

	test('a manager joins the update, not the reactivation, of one PATCH; without an update one leads', () => {
		const boss = plekUser('boss');
		const sub = plekUser('sub', { active: false, title: 'Old' });
		const changed = draftsAndFacts([record('boss'), record('sub', { manager: 'boss', profile: { ...record('sub').profile, title: 'New' } })], [boss, sub]);
		const draft = changed.drafts[1];
		const final = finalDecision(draft, 'record', changed.facts);
		expect(final.steps.map((s) => s.kind)).toEqual(['update', 'reactivate']);
		expect(final.steps[1]).toBe(draft.steps[1]);
		const onlyManager = draftsAndFacts([record('boss'), record('sub', { manager: 'boss' })], [boss, plekUser('sub', { active: false })]);
		const lead = finalDecision(onlyManager.drafts[1], 'record', onlyManager.facts);
		expect(lead.steps.map((s) => s.kind)).toEqual(['update', 'reactivate']);
		expect(lead.steps[0].kind === 'update' && lead.steps[0].operations.map((op) => op.path)).toEqual([MANAGER_PATH]);
	});

	test('a new person with a manager in Plek: the manager in the create body, the group add left as it was', () => {
		const boss = plekUser('boss');
		const { drafts, facts } = draftsAndFacts([record('boss'), record('sub', { manager: 'boss', groups: ['Care'] })], [boss], [group('Care')]);
		const draft = drafts[1];
		const final = finalDecision(draft, 'record', facts);
		expect(final.steps.map((s) => s.kind)).toEqual(['create', 'groupAdd']);
		expect(final.steps[1]).toBe(draft.steps[1]);
		const create = final.steps[0];
		expect(create.kind === 'create' && create.user[ENT]).toEqual({ manager: { value: boss.id } });
		expect(create.kind === 'create' && create.changes.at(-1)).toEqual({ path: 'manager', before: undefined, after: 'boss' });
	});

	test('a changed manager says who managed before by mapping key', () => {
		const boss = plekUser('boss');
		const old = plekUser('oldboss');
		const sub = plekUser('sub', { [ENT]: { manager: { value: old.id } } });
		const { drafts, facts } = draftsAndFacts([record('boss'), record('sub', { manager: 'boss' })], [boss, old, sub]);
		const update = finalDecision(drafts[1], 'record', facts).steps[0];
		expect(update.kind === 'update' && update.changes).toEqual([{ path: 'manager', before: 'oldboss', after: 'boss' }]);
	});

	test('a manager whose create protection refuses (a look-alike) is not written as anyone\'s manager', () => {
		const { drafts, facts } = draftsAndFacts([record('fake', { userName: 'root@acme.nl' }), record('sub', { manager: 'fake' })], [], [], { protectedAccounts: ['root@acme.nl'] });
		expect(drafts[0].steps.map((s) => s.kind)).toEqual(['create']);
		expect(finalDecision(drafts[0], 'record', facts).action).toBe('conflict');
		const sub = finalDecision(drafts[1], 'record', facts);
		expect(sub.steps.map((s) => s.kind)).toEqual(['create']);
		expect(sub.issues).toEqual([expect.objectContaining({ type: 'unknownManager', reason: expect.stringContaining('that create is refused') })]);
		// Without the protected list the same manager is created first and set after.
		const plain = draftsAndFacts([record('fake', { userName: 'root@acme.nl' }), record('sub', { manager: 'fake' })], []);
		expect(finalDecision(plain.drafts[1], 'record', plain.facts).steps.map((s) => s.kind)).toEqual(['create', 'manager']);
	});

	test('a draft nothing applies to is its own final decision (no copy per unchanged person)', () => {
		const { drafts, facts } = draftsAndFacts([record('plain')], [plekUser('plain')]);
		expect(finalDecision(drafts[0], 'record', facts)).toBe(drafts[0]);
	});
});
