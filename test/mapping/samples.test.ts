// The sample organisation in samples/ (300 people, seeded; see scripts/generate-samples.ts) through the mapper,
// in the shapes the three kinds of source hand them to n8n: the AD directory as n8n's LDAP node emits it, the HR
// CSV export as rows of text, and the HR API's JSON pages. Truth is samples/organisation.json.
import { readFileSync } from 'fs';
import { join } from 'path';

import { compileMapping, mapAll, type MapResult, type MappingConfig } from '../../core/mapping';
import type { PlekUserRecord } from '../../core/types';
import { ENTERPRISE, WORK_EMAIL } from './fixtures';

const samples = join(__dirname, '../../samples');
const read = (name: string) => readFileSync(join(samples, name), 'utf8');

interface Person {
	employeeNumber: string;
	objectGUID: string;
	givenName: string;
	particle: string | null;
	familyName: string;
	mail: string;
	department: string;
	active: boolean;
}
const people: Person[] = JSON.parse(read('organisation.json')).people;

/** Minimal LDIF reader: continuation lines, `attr:: base64`, multi-valued attributes. */
function parseLdif(text: string): Array<Record<string, Array<string | Buffer>>> {
	const entries: Array<Record<string, Array<string | Buffer>>> = [];
	for (const block of text.replace(/\r?\n /g, '').split(/\n\s*\n/)) {
		const entry: Record<string, Array<string | Buffer>> = {};
		for (const line of block.split('\n')) {
			if (line.startsWith('#') || line.trim() === '') continue;
			const match = /^([^:]+)(::?) ?(.*)$/.exec(line);
			if (!match) continue;
			const [, name, separator, raw] = match;
			const value = separator === '::' ? Buffer.from(raw, 'base64') : raw;
			(entry[name] ??= []).push(value);
		}
		if (Object.keys(entry).length) entries.push(entry);
	}
	return entries;
}

/** An entry as n8n's LDAP node outputs it: one value as itself, several as a list, objectGUID as hex of its bytes. */
function asLdapNodeItem(entry: Record<string, Array<string | Buffer>>): Record<string, unknown> {
	const item: Record<string, unknown> = {};
	for (const [name, values] of Object.entries(entry)) {
		const texts = values.map((v) => (Buffer.isBuffer(v) ? (name === 'objectGUID' ? v.toString('hex') : v.toString('utf8')) : v));
		item[name] = texts.length === 1 ? texts[0] : texts;
	}
	return item;
}

function records(results: MapResult[]): PlekUserRecord[] {
	const invalid = results.filter((r) => !r.ok);
	expect(invalid).toEqual([]);
	return results.map((r) => (r as { record: PlekUserRecord }).record);
}

function expectMatchesOrganisation(mapped: PlekUserRecord[], keyOf: (p: Person) => string) {
	expect(mapped).toHaveLength(people.length);
	const byKey = new Map(mapped.map((r) => [r.key, r]));
	expect(byKey.size).toBe(people.length);
	for (const person of people) {
		const record = byKey.get(keyOf(person));
		expect(record).toBeDefined();
		expect({ key: record!.key, userName: record!.userName, active: record!.active }).toEqual({
			key: keyOf(person),
			userName: person.mail,
			active: person.active,
		});
		expect(record!.profile['name.familyName']).toBe([person.particle, person.familyName].filter(Boolean).join(' '));
		expect(record!.profile[`${ENTERPRISE}:department`]).toBe(person.department);
	}
}

describe('the sample organisation maps completely from each source', () => {
	it('AD directory (samples/ad.ldif) as n8n LDAP node items', async () => {
		const users = parseLdif(read('ad.ldif'))
			.filter((e) => e.objectClass?.includes('user'))
			.map(asLdapNodeItem);
		const mapping: MappingConfig = {
			key: '$adGuid(objectGUID)',
			userName: '$normalizeEmail(userPrincipalName)',
			active: '$adActive(userAccountControl, accountExpires)',
			profile: [
				{ path: 'name.givenName', expression: 'givenName' },
				{ path: 'name.familyName', expression: 'sn' },
				{ path: WORK_EMAIL, expression: '$normalizeEmail(mail)' },
				{ path: `${ENTERPRISE}:department`, expression: 'department' },
				{ path: `${ENTERPRISE}:employeeNumber`, expression: 'employeeID' },
			],
			groups: [{ group: 'All staff', condition: "$memberOf(memberOf, 'All staff')" }],
		};
		const mapped = records(await mapAll(compileMapping(mapping), users));
		expectMatchesOrganisation(mapped, (p) => p.objectGUID);
		// The directory puts every user in All staff (leavers too), so each record names that group and, with one
		// group rule, no other.
		const inAllStaff = users.filter((u) => [u.memberOf ?? []].flat().some((dn) => /^CN=All staff,/.test(String(dn))));
		expect(inAllStaff).toHaveLength(people.length);
		expect(mapped.map((r) => r.groups)).toEqual(people.map(() => ['All staff']));
	});

	it('HR CSV export (samples/hr-export.csv) as rows of text', async () => {
		const [header, ...lines] = read('hr-export.csv').trim().split(/\r?\n/);
		const columns = header.split(';');
		const rows = lines.map((line) => Object.fromEntries(line.split(';').map((v, i) => [columns[i], v])));
		const mapping: MappingConfig = {
			key: 'personeelsnummer',
			userName: '$normalizeEmail(email)',
			active: '$toBool(actief) and $not($leaveDatePassed(datum_uit_dienst))',
			profile: [
				{ path: 'name.givenName', expression: '$nameCase(voornaam)' },
				{ path: 'name.familyName', expression: '$nameCase($joinNonEmpty([tussenvoegsel, achternaam]), true)' },
				{ path: `${ENTERPRISE}:department`, expression: 'afdeling' },
			],
		};
		const mapped = records(await mapAll(compileMapping(mapping), rows));
		expectMatchesOrganisation(mapped, (p) => p.employeeNumber);
	});

	it('HR API pages (samples/hr-api/*.json) as nested records', async () => {
		const employees = [1, 2, 3].flatMap((page) => JSON.parse(read(`hr-api/employees-page-${page}.json`)).data);
		const mapping: MappingConfig = {
			document: `{
				"key": $substringAfter(id, "E"),
				"userName": $normalizeEmail(workEmail),
				"active": employmentStatus = "active" and $not($leaveDatePassed(endDate)),
				"profile": {
					"name.givenName": firstName,
					"name.familyName": $joinNonEmpty([middleName, lastName]),
					"title": jobTitle,
					"${ENTERPRISE}:department": department.name
				}
			}`,
		};
		const mapped = records(await mapAll(compileMapping(mapping), employees));
		expectMatchesOrganisation(mapped, (p) => p.employeeNumber);
	});
});
