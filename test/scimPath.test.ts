import {
	buildPatchOperations,
	CORE_USER_SCHEMA,
	ENTERPRISE_USER_SCHEMA,
	formatScimPath,
	parseScimPath,
	readScimPath,
	scimPathKey,
	valuesEqual,
	writeScimPath,
} from '../core/scimPath';
import { PLEK_EXTENSION as PLEK } from './support/scim';

const ENT = ENTERPRISE_USER_SCHEMA;

describe('parseScimPath', () => {
	test.each([
		['userName', { attribute: 'userName' }],
		['name.givenName', { attribute: 'name', subAttribute: 'givenName' }],
		['emails[type eq "work"].value', { attribute: 'emails', filter: { attribute: 'type', value: 'work' }, subAttribute: 'value' }],
		['phoneNumbers[type eq "mobile"].value', { attribute: 'phoneNumbers', filter: { attribute: 'type', value: 'mobile' }, subAttribute: 'value' }],
		['addresses[type eq "work"].locality', { attribute: 'addresses', filter: { attribute: 'type', value: 'work' }, subAttribute: 'locality' }],
		[`${ENT}:department`, { schema: ENT, attribute: 'department' }],
		[`${ENT}:manager.value`, { schema: ENT, attribute: 'manager', subAttribute: 'value' }],
		[`${PLEK}:location`, { schema: PLEK, attribute: 'location' }],
		[`${CORE_USER_SCHEMA}:userName`, { attribute: 'userName' }],
		['emails[type EQ "a]b \\" c"].value', { attribute: 'emails', filter: { attribute: 'type', value: 'a]b " c' }, subAttribute: 'value' }],
		['emails[ type  eq  "work" ]', { attribute: 'emails', filter: { attribute: 'type', value: 'work' } }],
		[`${ENT}:emails[type eq "x:y"].value`, { schema: ENT, attribute: 'emails', filter: { attribute: 'type', value: 'x:y' }, subAttribute: 'value' }],
		['members.$ref', { attribute: 'members', subAttribute: '$ref' }],
	])('%s', (path, expected) => {
		expect(parseScimPath(path)).toEqual(expected);
	});

	test.each([
		['', /empty/],
		[' userName', /spaces/],
		['name.givenName.x', /one level/],
		['name.', /sub-attribute name/],
		['.name', /attribute name is missing/],
		['1abc', /not a valid attribute name/],
		['emails[type eq "work".value', /closing "\]"/],
		['emails[type eq work].value', /double-quoted/],
		['emails[type ne "work"].value', /only the "eq" operator/],
		['emails[type eq "work" and primary eq true].value', /only one comparison/],
		['emails[type eq "work"]value', /unexpected/],
		['emails[type eq "work].value', /no closing quote/],
		['foo:bar', /schema URN/],
		[`${ENT}:`, /no attribute name/],
		['__proto__.x', /not a valid attribute name/],
	])('rejects %j', (path, message) => {
		expect(() => parseScimPath(path)).toThrow(message);
		expect(() => parseScimPath(path)).toThrow(/Invalid SCIM attribute path/);
	});

	test('formatScimPath round-trips and scimPathKey ignores case', () => {
		const path = `${ENT}:manager.value`;
		expect(formatScimPath(parseScimPath(path))).toBe(path);
		expect(scimPathKey('Emails[TYPE eq "Work"].Value')).toBe(scimPathKey('emails[type eq "work"].value'));
		expect(scimPathKey('name.givenName')).not.toBe(scimPathKey('name.familyName'));
	});
});

describe('readScimPath', () => {
	const user = {
		id: '1',
		UserName: 'j.jansen@acme.nl',
		name: { givenName: 'Jan', FamilyName: 'Jansen' },
		emails: [
			{ type: 'home', value: 'jan@home.nl' },
			{ type: 'Work', value: 'j.jansen@acme.nl', primary: true },
		],
		addresses: [{ type: 'work', locality: 'Utrecht' }],
		[ENT]: { department: 'Care', manager: { value: 'm1' }, employeeNumber: 42 },
		active: false,
	};
	test.each([
		['userName', 'j.jansen@acme.nl'],
		['name.givenName', 'Jan'],
		['NAME.familyname', 'Jansen'],
		['emails[type eq "work"].value', 'j.jansen@acme.nl'],
		['emails[type eq "home"].value', 'jan@home.nl'],
		['emails[type eq "other"].value', undefined],
		['emails.value', 'j.jansen@acme.nl'],
		['phoneNumbers[type eq "mobile"].value', undefined],
		['addresses[type eq "work"].locality', 'Utrecht'],
		['addresses[type eq "work"].postalCode', undefined],
		[`${ENT}:department`, 'Care'],
		[`${ENT.toLowerCase()}:Department`, 'Care'],
		[`${ENT}:manager.value`, 'm1'],
		[`${ENT}:employeeNumber`, 42],
		[`${ENT}:manager`, undefined], // complex value: not a profile value
		[`${PLEK}:location`, undefined],
		['active', false],
		['name', undefined],
	])('%s', (path, expected) => {
		expect(readScimPath(user, path)).toBe(expected);
	});
});

describe('writeScimPath', () => {
	test('builds a create body', () => {
		const body: Record<string, unknown> = { schemas: [CORE_USER_SCHEMA], userName: 'a' };
		writeScimPath(body, 'name.givenName', 'Jan');
		writeScimPath(body, 'name.familyName', 'Jansen');
		writeScimPath(body, 'emails[type eq "work"].value', 'a@x.nl');
		writeScimPath(body, 'phoneNumbers[type eq "mobile"].value', '+31 6');
		writeScimPath(body, 'addresses[type eq "work"].locality', 'Utrecht');
		writeScimPath(body, 'addresses[type eq "work"].postalCode', '3511');
		writeScimPath(body, `${ENT}:department`, 'Care');
		writeScimPath(body, `${ENT}:manager.value`, 'm1');
		writeScimPath(body, `${PLEK}:location`, 'HQ');
		expect(body).toEqual({
			schemas: [CORE_USER_SCHEMA, ENT, PLEK],
			userName: 'a',
			name: { givenName: 'Jan', familyName: 'Jansen' },
			emails: [{ type: 'work', value: 'a@x.nl' }],
			phoneNumbers: [{ type: 'mobile', value: '+31 6' }],
			addresses: [{ type: 'work', locality: 'Utrecht', postalCode: '3511' }],
			[ENT]: { department: 'Care', manager: { value: 'm1' } },
			[PLEK]: { location: 'HQ' },
		});
	});

	test('updates existing values in place, keeping their spelling', () => {
		const body: Record<string, unknown> = {
			Emails: [{ Type: 'Work', Value: 'old@x.nl' }],
			[ENT.toLowerCase()]: { Department: 'Old' },
			schemas: [CORE_USER_SCHEMA, ENT],
		};
		writeScimPath(body, 'emails[type eq "work"].value', 'new@x.nl');
		writeScimPath(body, `${ENT}:department`, 'New');
		expect(body).toEqual({
			Emails: [{ Type: 'Work', Value: 'new@x.nl' }],
			[ENT.toLowerCase()]: { Department: 'New' },
			schemas: [CORE_USER_SCHEMA, ENT],
		});
	});

	test('empty values remove, pruning empty elements and extension objects', () => {
		const body: Record<string, unknown> = {
			name: { givenName: 'Jan' },
			emails: [{ type: 'work', value: 'a@x.nl' }],
			[ENT]: { department: 'Care' },
			title: 'Nurse',
		};
		writeScimPath(body, 'name.givenName', null);
		writeScimPath(body, 'emails[type eq "work"].value', '');
		writeScimPath(body, `${ENT}:department`, undefined);
		writeScimPath(body, 'title', null);
		writeScimPath(body, 'nickName', null);
		expect(body).toEqual({});
	});

	test('a filtered path without sub-attribute cannot hold a value', () => {
		expect(() => writeScimPath({}, 'emails[type eq "work"]', 'x')).toThrow(/needs a sub-attribute/);
	});
});

describe('valuesEqual', () => {
	test.each([
		['', null, undefined, true],
		[null, undefined, undefined, true],
		['', 'x', undefined, false],
		['a', 'a', undefined, true],
		['a', 'a ', undefined, false],
		['Jan', 'jan', 'name.givenName', false],
		['J.Jansen@Acme.nl', 'j.jansen@acme.nl', 'userName', true],
		['J.Jansen@Acme.nl', 'j.jansen@acme.nl', 'emails[type eq "work"].value', true],
		['J.Jansen@Acme.nl', 'j.jansen@acme.nl', undefined, false],
		[5, '5', undefined, true],
		[true, 'true', undefined, true],
		[false, '', undefined, false],
		[0, null, undefined, false],
	])('%j vs %j (%s) -> %s', (a, b, path, expected) => {
		expect(valuesEqual(a, b, path)).toBe(expected);
		expect(valuesEqual(b, a, path)).toBe(expected);
	});
});

describe('buildPatchOperations', () => {
	const current = {
		name: { givenName: 'Jan' },
		emails: [{ type: 'work', value: 'a@x.nl' }],
		title: 'Nurse',
	};
	test('replace for existing targets, add of a new element for unmatched filters, remove for empties', () => {
		expect(
			buildPatchOperations(current, [
				{ path: 'name.givenName', value: 'Johan' },
				{ path: 'emails[type eq "work"].value', value: 'b@x.nl' },
				{ path: 'addresses[type eq "work"].locality', value: 'Utrecht' },
				{ path: 'addresses[type eq "work"].postalCode', value: '3511' },
				{ path: 'title', value: null },
				{ path: 'nickName', value: '' },
				{ path: `${ENT}:department`, value: 'Care' },
			]),
		).toEqual([
			{ op: 'replace', path: 'name.givenName', value: 'Johan' },
			{ op: 'replace', path: 'emails[type eq "work"].value', value: 'b@x.nl' },
			{ op: 'add', path: 'addresses', value: [{ type: 'work', locality: 'Utrecht', postalCode: '3511' }] },
			{ op: 'remove', path: 'title' },
			{ op: 'replace', path: `${ENT}:department`, value: 'Care' },
		]);
	});
});
