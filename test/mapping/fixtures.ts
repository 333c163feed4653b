// Source records as they reach the Mapper from three kinds of HR source, with a fields-mode and a
// document-mode mapping for each and the Plek user record both must produce.
import type { PlekUserRecord } from '../../core/types';
import type { DocumentMappingConfig, FieldsMappingConfig } from '../../core/mapping';
import { ENTERPRISE } from '../support/scim';

export { ENTERPRISE };
export const WORK_EMAIL = 'emails[type eq "work"].value';

/** The clock the tests map with: 1 June 2024, 10:00 UTC. */
export const NOW = () => new Date('2024-06-01T10:00:00Z');

export const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
export const GUID_BYTES = [0xe0, 0x04, 0x25, 0x3f, 0x89, 0x4f, 0xd3, 0x11, 0x9a, 0x0c, 0x03, 0x05, 0xe8, 0x2c, 0x33, 0x01];

/** An AD user entry as an LDAP search returns it (objectGUID as the raw 16 bytes). */
export function adEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		dn: 'CN=Jan van der Berg,OU=Staff,DC=acme,DC=nl',
		objectGUID: Buffer.from(GUID_BYTES),
		sAMAccountName: 'jberg',
		userPrincipalName: 'jberg@acme.nl',
		givenName: 'JAN',
		sn: 'VAN DER BERG',
		displayName: 'Jan van der Berg',
		mail: ' J.vanderBerg@Acme.nl',
		userAccountControl: '512',
		accountExpires: '9223372036854775807',
		pwdLastSet: '133497696000000000',
		department: 'Care',
		title: 'Nurse',
		memberOf: ['CN=Care,OU=Groups,DC=acme,DC=nl', 'CN=All staff,OU=Groups,DC=acme,DC=nl'],
		...overrides,
	};
}

export const adFields: FieldsMappingConfig = {
	key: '$adGuid(objectGUID)',
	userName: '$normalizeEmail(mail)',
	active: '$adActive(userAccountControl, accountExpires)',
	profile: [
		{ path: 'name.givenName', expression: '$nameCase(givenName)' },
		{ path: 'name.familyName', expression: '$nameCase(sn, true)' },
		{ path: 'displayName', expression: 'displayName', createOnly: true },
		{ path: 'title', expression: 'title' },
		{ path: WORK_EMAIL, expression: '$normalizeEmail(mail)' },
		{ path: `${ENTERPRISE}:department`, expression: 'department' },
	],
	groups: [
		{ group: 'Care', condition: "department = 'Care'" },
		{ group: 'All staff', condition: "$memberOf(memberOf, 'All staff')" },
		{ group: 'Finance', condition: "department = 'Finance'" },
	],
};

export const adDocument: DocumentMappingConfig = {
	document: `{
  "key": $adGuid(objectGUID),
  "userName": $normalizeEmail(mail),
  "active": $adActive(userAccountControl, accountExpires),
  "profile": {
    "name.givenName": $nameCase(givenName),
    "name.familyName": $nameCase(sn, true),
    "displayName": displayName,
    "title": title,
    "emails[type eq \\"work\\"].value": $normalizeEmail(mail),
    "${ENTERPRISE}:department": department
  },
  "createOnly": ["displayName"],
  "groups": [
    department = 'Care' ? 'Care',
    $memberOf(memberOf, 'All staff') ? 'All staff',
    department = 'Finance' ? 'Finance'
  ]
}`,
};

export const adExpected: PlekUserRecord = {
	key: GUID,
	userName: 'j.vanderberg@acme.nl',
	active: true,
	profile: {
		'name.givenName': 'Jan',
		'name.familyName': 'van der Berg',
		displayName: 'Jan van der Berg',
		title: 'Nurse',
		[WORK_EMAIL]: 'j.vanderberg@acme.nl',
		[`${ENTERPRISE}:department`]: 'Care',
	},
	createOnly: ['displayName'],
	groups: ['All staff', 'Care'],
};

/** A row of a Dutch HR CSV export: every value is text. */
export function csvRow(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		Personeelsnummer: '10042',
		Voornaam: 'anna',
		Achternaam: 'TEN BRINK',
		Email: 'A.tenBrink@Acme.nl',
		Functie: 'Verpleegkundige',
		Afdeling: 'Zorg',
		Actief: 'ja',
		Uitdienst: '31-12-2030',
		...overrides,
	};
}

export const csvFields: FieldsMappingConfig = {
	key: 'Personeelsnummer',
	userName: '$normalizeEmail(Email)',
	active: "$toBool(Actief) and $not($leaveDatePassed(Uitdienst, 'Europe/Amsterdam'))",
	profile: [
		{ path: 'name.givenName', expression: '$nameCase(Voornaam)' },
		{ path: 'name.familyName', expression: '$nameCase(Achternaam, true)' },
		{ path: 'title', expression: 'Functie' },
		{ path: WORK_EMAIL, expression: '$normalizeEmail(Email)' },
		{ path: `${ENTERPRISE}:department`, expression: 'Afdeling' },
	],
	groups: [
		{ group: 'Zorg', condition: "Afdeling = 'Zorg'" },
		{ group: 'Verpleging', condition: "Functie in ['Verpleegkundige', 'Verzorgende']" },
	],
};

export const csvDocument: DocumentMappingConfig = {
	document: `{
  "key": Personeelsnummer,
  "userName": $normalizeEmail(Email),
  "active": $toBool(Actief) and $not($leaveDatePassed(Uitdienst, 'Europe/Amsterdam')),
  "profile": {
    "name.givenName": $nameCase(Voornaam),
    "name.familyName": $nameCase(Achternaam, true),
    "title": Functie,
    "emails[type eq \\"work\\"].value": $normalizeEmail(Email),
    "${ENTERPRISE}:department": Afdeling
  },
  "groups": [
    Afdeling = 'Zorg' ? 'Zorg',
    Functie in ['Verpleegkundige', 'Verzorgende'] ? 'Verpleging'
  ]
}`,
};

export const csvExpected = (createOnly: string[] = []): PlekUserRecord => ({
	key: '10042',
	userName: 'a.tenbrink@acme.nl',
	active: true,
	profile: {
		'name.givenName': 'Anna',
		'name.familyName': 'ten Brink',
		title: 'Verpleegkundige',
		[WORK_EMAIL]: 'a.tenbrink@acme.nl',
		[`${ENTERPRISE}:department`]: 'Zorg',
	},
	createOnly,
	groups: ['Verpleging', 'Zorg'],
});

/** A record from an HR REST API (nested JSON, a numeric id, a leave date that has passed). */
export function hrApiRecord(): Record<string, unknown> {
	return {
		employee: {
			id: 7731,
			name: { first: 'piet', last: 'de vries' },
			contact: { email: 'P.deVries@acme.nl', phone: '+31 20 123 4567' },
			job: { title: 'Teamleider', department: 'Finance' },
			endDate: '2024-05-31',
		},
	};
}

export const hrFields: FieldsMappingConfig = {
	key: 'employee.id',
	userName: '$normalizeEmail(employee.contact.email)',
	active: '$not($leaveDatePassed(employee.endDate))',
	profile: [
		{ path: 'name.givenName', expression: '$nameCase(employee.name.first)' },
		{ path: 'name.familyName', expression: '$nameCase(employee.name.last, true)' },
		{ path: 'title', expression: 'employee.job.title' },
		{ path: 'phoneNumbers[type eq "work"].value', expression: 'employee.contact.phone' },
		{ path: `${ENTERPRISE}:department`, expression: 'employee.job.department' },
	],
	groups: [{ group: 'Finance', condition: "employee.job.department = 'Finance'" }],
};

export const hrDocument: DocumentMappingConfig = {
	document: `employee.{
  "key": $string(id),
  "userName": $normalizeEmail(contact.email),
  "active": $not($leaveDatePassed(endDate)),
  "profile": {
    "name.givenName": $nameCase(name.first),
    "name.familyName": $nameCase(name.last, true),
    "title": job.title,
    "phoneNumbers[type eq \\"work\\"].value": contact.phone,
    "${ENTERPRISE}:department": job.department
  },
  "groups": job.department = 'Finance' ? ['Finance'] : []
}`,
};

export const hrExpected: PlekUserRecord = {
	key: '7731',
	userName: 'p.devries@acme.nl',
	active: false,
	profile: {
		'name.givenName': 'Piet',
		'name.familyName': 'de Vries',
		title: 'Teamleider',
		'phoneNumbers[type eq "work"].value': '+31 20 123 4567',
		[`${ENTERPRISE}:department`]: 'Finance',
	},
	createOnly: [],
	groups: ['Finance'],
};
