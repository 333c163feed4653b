// Dropdown labels of the Mapper's profile fields name the schema of an extension attribute in words.
import { profileFieldOptions } from '../../nodes/PlekMapper/profileFields';
import { ENTERPRISE, PLEK_EXTENSION as PLEK } from '../support/scim';

it('labels Enterprise and Plek extension fields in words, so the two costCenter fields differ', () => {
	const options = profileFieldOptions([
		{ path: 'title', type: 'string' },
		{ path: `${ENTERPRISE}:costCenter`, type: 'string' },
		{ path: `${PLEK}:costCenter`, type: 'string' },
	]);
	expect(options.map((option) => [option.name, option.value])).toEqual([
		['costCenter (Enterprise)', `${ENTERPRISE}:costCenter`],
		['costCenter (Plek)', `${PLEK}:costCenter`],
		['title', 'title'],
	]);
});

it('names another extension by the URN part before its version, and keeps labels unique when two still collide', () => {
	const options = profileFieldOptions([
		{ path: 'urn:acme:scim:hr:2.0:User:badge', type: 'string' },
		{ path: 'urn:other:scim:hr:1:User:badge', type: 'string' },
	]);
	expect(options.map((option) => option.name)).toEqual([
		'badge (hr) - urn:acme:scim:hr:2.0:User:badge',
		'badge (hr) - urn:other:scim:hr:1:User:badge',
	]);
});
