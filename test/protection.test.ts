// core/protection.ts: the one rule of protected accounts for every Plek node, and the Sync's planner using it
// (the credential's protection plus the Sync's own; e-mail addresses and Plek ids; spelling tricks).
import {
	credentialProtection,
	describeMatch,
	isProtectedGroupName,
	mergeProtection,
	normaliseName,
	parseProtectedList,
	ProtectedAccounts,
	protectedGroupMembers,
} from '../core/protection';
import { planSync } from '../core/sync/planner';
import type { SyncOptions } from '../core/sync/types';
import type { PlekUserRecord, ScimGroup, ScimUser } from '../core/types';
import { group, plekUser, record } from './sync/builders';

describe('the lists', () => {
	test('commas, semicolons and line breaks separate entries; blanks and repeats go; arrays keep commas inside an entry', () => {
		expect(parseProtectedList(' admin@acme.nl,svc-1 ;\n\n00123\r\nadmin@acme.nl, ')).toEqual(['admin@acme.nl', 'svc-1', '00123']);
		expect(parseProtectedList(['Admins, Europe', ' x ', 3, ''])).toEqual(['Admins, Europe', 'x']);
		expect(parseProtectedList(undefined)).toEqual([]);
		expect(parseProtectedList(42)).toEqual([]);
	});

	test('the credential: accounts and one group; missing fields protect nothing', () => {
		expect(credentialProtection({ protectedAccounts: 'a@acme.nl\nb', protectedGroup: ' Plek Admins ' })).toEqual({ accounts: ['a@acme.nl', 'b'], groups: ['Plek Admins'] });
		expect(credentialProtection({})).toEqual({ accounts: [], groups: [] });
		expect(credentialProtection(undefined)).toEqual({ accounts: [], groups: [] });
		expect(credentialProtection({ protectedAccounts: 5, protectedGroup: 7 })).toEqual({ accounts: [], groups: [] });
	});

	test('the Sync adds to the credential: accounts joined, the same group spelled twice kept once', () => {
		const merged = mergeProtection({ accounts: ['a'], groups: ['Plek Admins'] }, { accounts: ['b', 'a'], groups: ['plek  admins', 'PLEK ADMINS', 'Service'] });
		expect(merged).toEqual({ accounts: ['a', 'b'], groups: ['Plek Admins', 'plek  admins', 'Service'] });
	});
});

describe('is this account protected', () => {
	const admin: ScimUser = { id: 'id-7', externalId: 'EMP-7', userName: 'Admin@Acme.nl', emails: [{ value: 'root@acme.nl', type: 'work' }, { value: 'x' }, 'junk'] };

	test('by userName, e-mail, Plek id or External ID, and names which one matched', () => {
		expect(new ProtectedAccounts(['admin@acme.nl']).match(admin)).toBe('userName');
		expect(new ProtectedAccounts(['ROOT@acme.nl']).match(admin)).toBe('email');
		expect(new ProtectedAccounts(['id-7']).match(admin)).toBe('id');
		expect(new ProtectedAccounts(['EMP-7']).match(admin)).toBe('externalId');
		expect(new ProtectedAccounts(['someone@acme.nl', 'id-8']).match(admin)).toBeUndefined();
		expect(new ProtectedAccounts([]).match(admin)).toBeUndefined();
		expect(new ProtectedAccounts([]).empty).toBe(true);
	});

	test('ids match exactly (two externalIds may differ only in case); names in any case', () => {
		expect(new ProtectedAccounts(['emp-7']).match(admin)).toBeUndefined();
		expect(new ProtectedAccounts(['ID-7']).match(admin)).toBeUndefined();
		expect(new ProtectedAccounts([' EMP-7 ']).match(admin)).toBe('externalId');
	});

	test('spelling tricks in the list or in Plek do not slip past: spaces, zero-width and bidi marks, NBSP, full-width letters, ligatures', () => {
		for (const entry of ['\u00a0admin@acme.nl\u00a0', 'ad\u200bmin@acme.nl', '\u200eADMIN@ACME.NL', 'ａｄｍｉｎ@acme.nl', 'admin@acme.nl\ufeff']) {
			expect([entry, new ProtectedAccounts([entry]).match(admin)]).toEqual([entry, 'userName']);
		}
		const tricky: ScimUser = { id: 'id-9', userName: 'o\u200bps@acme.nl', emails: [{ value: 'ﬁnance@acme.nl' }] };
		expect(new ProtectedAccounts(['ops@acme.nl']).match(tricky)).toBe('userName');
		expect(new ProtectedAccounts(['finance@acme.nl']).match(tricky)).toBe('email');
		expect(normaliseName(' K\u212Aelvin ')).toBe('kkelvin');
		expect(new ProtectedAccounts(['ops@acme.nl']).namesProtected('OPS@acme.nl ')).toBe(true);
		expect(new ProtectedAccounts(['ops@acme.nl']).namesProtected('ops2@acme.nl')).toBe(false);
	});

	test('the ASCII shortcut of the normalisation gives the same answer as the full rule', () => {
		const full = (v: string) => v.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').trim().toLowerCase();
		for (const value of [' Admin@Acme.NL ', 'svc-1', '', '  ', 'A~b_c|d', 'x\u00a0y', 'é', 'ＡＢ', 'a\u200bb', 'K\u212A']) {
			expect([value, normaliseName(value)]).toEqual([value, full(value)]);
		}
	});

	test("a protected group's members, whatever the spelling of its name; other groups' members are not", () => {
		const groups: ScimGroup[] = [
			{ id: 'g1', displayName: 'Plek Admins', members: [{ value: 'u1' }, { value: 'u2' }] },
			{ id: 'g2', displayName: 'Care', members: [{ value: 'u3' }] },
			{ id: 'g3', displayName: 'plek\u200b admins' },
		];
		expect([...protectedGroupMembers(groups, [' PLEK ADMINS'])]).toEqual(['u1', 'u2']);
		expect(protectedGroupMembers(groups, []).size).toBe(0);
		expect(isProtectedGroupName('Plek Admins ', ['plek admins'])).toBe(true);
		expect(isProtectedGroupName('Plek Admin', ['plek admins'])).toBe(false);
	});

	test('the refusal names the rule and where it was declared', () => {
		expect(describeMatch('email', 'credential')).toBe("its e-mail address is on the credential's Protected Accounts");
		expect(describeMatch('group', 'credential', 'Plek Admins')).toBe('it is a member of the credential\'s Protected Group "Plek Admins"');
		expect(describeMatch('externalId', 'options')).toBe("its External ID is on the Sync's Protected Accounts");
	});
});

describe("the Sync's planner uses the same rule", () => {
	function plan(records: PlekUserRecord[], users: ScimUser[], groups: ScimGroup[], options: SyncOptions) {
		return planSync(records, { users, groups }, options);
	}

	test('an account protected by e-mail address or Plek id is not deactivated; the unprotected leaver is', () => {
		const byMail = plekUser('m1', { userName: 'm1-login', emails: [{ type: 'work', value: 'Break.Glass@acme.nl' }] });
		const byId = plekUser('m2');
		const leaver = plekUser('m3');
		const records = [byMail, byId, leaver].map((u) => record(u.externalId as string, { userName: u.userName, active: false }));
		const p = plan(records, [byMail, byId, leaver], [], { protectedAccounts: ['break.glass@acme.nl', byId.id] });
		expect(p.steps.map((s) => ('key' in s ? `${s.kind}:${s.key}` : s.kind))).toEqual(['deactivate:m3']);
		expect(p.protectedAccounts?.map((m) => m.key).sort()).toEqual(['m1', 'm2']);
	});

	test("the credential's group adds to the Sync's: members of both are protected; a missing one blocks the run", () => {
		const a = plekUser('a');
		const b = plekUser('b');
		const c = plekUser('c');
		const groups = [group('Plek Admins', [a]), group('Service', [b])];
		const records = [a, b, c].map((u) => record(u.externalId as string, { userName: u.userName, active: false }));
		const p = plan(records, [a, b, c], groups, { protectedGroup: 'Service', protectedGroups: ['plek admins'], maxDeactivations: -1, maxDeactivationPercent: -1 });
		expect(p.steps.map((s) => ('key' in s ? `${s.kind}:${s.key}` : s.kind))).toEqual(['deactivate:c']);
		expect(p.protectedAccounts?.map((m) => `${m.key}:${m.by}`).sort()).toEqual(['a:group', 'b:group']);

		const missing = plan(records, [a, b, c], groups, { protectedGroup: 'Service', protectedGroups: ['Admins'] });
		expect(missing.blocked?.reason).toMatch(/the protected group "Admins" does not exist in Plek.*on the Plek credential/);
	});

	test('a source value cannot make someone protected: writing a protected e-mail or userName onto another account is a conflict', () => {
		const admin = plekUser('adm', { userName: 'root-login', emails: [{ type: 'work', value: 'break.glass@acme.nl' }] });
		const eve = plekUser('eve');
		const records = [
			record('adm', { userName: 'root-login', profile: { 'emails[type eq "work"].value': 'break.glass@acme.nl' } }),
			record('eve', { userName: eve.userName, profile: { 'emails[type eq "work"].value': 'BREAK.GLASS@acme.nl' } }),
			record('new', { userName: 'Future.Admin@acme.nl', profile: {} }),
			record('ok', { profile: { title: 'Nurse' } }),
		];
		const options = { protectedAccounts: ['break.glass@acme.nl', 'root-login', 'future.admin@acme.nl'] };
		const p = plan(records, [admin, eve], [], options);
		expect(p.steps.map((s) => ('key' in s ? `${s.kind}:${s.key}` : s.kind))).toEqual(['create:ok']);
		const conflicts = p.issues.filter((i) => i.type === 'conflict');
		expect(conflicts.map((i) => [i.key, i.action])).toEqual([
			['eve', 'update'],
			['new', 'create'],
		]);
		expect(conflicts[0].reason).toBe('would give this person the e-mail address "BREAK.GLASS@acme.nl", which names an account on the Protected Accounts list');
		expect(conflicts[1].reason).toMatch(/the userName "Future.Admin@acme.nl", which names an account on the Protected Accounts list/);
		// Convergence: nothing was written for them, and the next plan is the same (no write, same conflicts).
		const again = plan(records, [admin, eve], [], options);
		expect(again.steps).toEqual(p.steps);
		expect(again.issues.filter((i) => i.type === 'conflict')).toHaveLength(2);
	});
});
