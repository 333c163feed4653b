// One source of Plek's profile fields: the Mapper's dropdown and the Plek node's offer the same paths under the
// same labels, from the one list in core/record/profileFields.ts.
import { profileFieldChoices, profileFieldLabel } from '../../core/record';
import type { AttributeInfo } from '../../core/mapping';
import { displayNameOfPath, profileFieldChoices as plekNodeChoices } from '../../nodes/Plek/helpers/utils';
import { profileFieldOptions as mapperOptions } from '../../nodes/PlekMapper/profileFields';

import { ENTERPRISE, PLEK_EXTENSION as PLEK } from '../support/scim';

const attributes: AttributeInfo[] = [
	{ path: 'userName', type: 'string' },
	{ path: 'name', type: 'complex' },
	{ path: 'name.givenName', type: 'string', description: 'First name' },
	{ path: 'title', type: 'string' },
	{ path: 'password', type: 'string', mutability: 'writeOnly' },
	{ path: 'nickName', type: 'string', mutability: 'writeOnly' },
	{ path: 'emails', type: 'complex', multiValued: true },
	{ path: 'emails.value', type: 'string', multiValued: true },
	{ path: 'emails.type', type: 'string', multiValued: true },
	{ path: 'emails.primary', type: 'boolean', multiValued: true },
	{ path: 'phoneNumbers', type: 'complex', multiValued: true },
	{ path: 'phoneNumbers.value', type: 'string', multiValued: true },
	{ path: 'phoneNumbers.type', type: 'string', multiValued: true },
	{ path: 'ims', type: 'complex', multiValued: true },
	{ path: 'ims.value', type: 'string', multiValued: true },
	{ path: 'photos', type: 'complex', multiValued: true },
	{ path: 'photos.value', type: 'reference', multiValued: true },
	{ path: 'photos.type', type: 'string', multiValued: true },
	{ path: `${ENTERPRISE}:department`, type: 'string' },
	{ path: `${ENTERPRISE}:manager`, type: 'complex' },
	{ path: `${ENTERPRISE}:manager.value`, type: 'string' },
	{ path: `${PLEK}:tags`, type: 'string', multiValued: true },
	{ path: `${PLEK}:location`, type: 'string' },
	{ path: `${PLEK}:birthDate`, type: 'dateTime' },
];

it('offers writable, single-valued, syncable paths, a multi-valued value per element it can select by type', () => {
	expect(profileFieldChoices(attributes).map((choice) => choice.value)).toEqual([
		`${ENTERPRISE}:department`,
		'emails[type eq "work"].value',
		`${PLEK}:location`,
		`${ENTERPRISE}:manager.value`,
		'name.givenName',
		'phoneNumbers[type eq "mobile"].value',
		'phoneNumbers[type eq "work"].value',
		'title',
	]);
});

it('labels a path as every node shows it, the description from the schema or the path', () => {
	const choices = profileFieldChoices(attributes);
	expect(choices.find((c) => c.value === `${ENTERPRISE}:department`)).toEqual({ name: 'department (Enterprise)', value: `${ENTERPRISE}:department`, description: `SCIM path ${ENTERPRISE}:department` });
	expect(choices.find((c) => c.value === 'name.givenName')?.description).toBe('First name');
	expect(profileFieldLabel(`${PLEK}:location`)).toBe('location (Plek)');
	expect(profileFieldLabel('urn:acme:scim:hr:2.0:User:badge')).toBe('badge (hr)');
});

it('the Mapper and the Plek node offer the same paths under the same labels', () => {
	const mapper = mapperOptions(attributes).map((option) => [option.name, option.value]);
	const plekNode = plekNodeChoices(attributes)
		.map((choice) => [displayNameOfPath(choice.path), choice.path])
		.sort((a, b) => a[0].localeCompare(b[0]));
	expect(plekNode).toEqual(mapper);
});
