// AD-shaped source records (what n8n's LDAP node returns for a user search: objectGUID as 32 hex digits, multi-valued
// attributes as arrays) and the Active Directory template's Plek Mapper rules, read from the template itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FieldsMappingConfig } from '../core/mapping/types';

const DEPARTMENTS = ['Care', 'Home Care', 'Facilities', 'Finance', 'HR', 'ICT', 'Communication', 'Management'];
const TITLES = ['Nurse', 'Senior Nurse', 'Care Manager', 'Cook', 'Controller', 'Director', 'Engineer', 'Advisor'];

/** Person i of an AD user search, deterministic. */
export function adEntry(i: number): IDataObject {
	const department = DEPARTMENTS[i % DEPARTMENTS.length];
	const guid = Buffer.alloc(16);
	guid.writeUInt32LE(i, 0);
	guid.writeUInt32LE(0x5eed1e55, 12);
	const given = `Jan${i}`;
	const family = i % 5 === 0 ? 'van der Berg' : `Jansen${i}`;
	const account = `jan.${i}`;
	return {
		dn: `CN=${given} ${family},OU=${department},OU=Staff,DC=delinde,DC=local`,
		objectClass: ['top', 'person', 'organizationalPerson', 'user'],
		cn: `${given} ${family}`,
		objectGUID: guid.toString('hex'),
		sAMAccountName: account,
		userPrincipalName: `${account}@delinde.example`,
		givenName: given,
		sn: family,
		displayName: `${given} ${family}`,
		mail: `${account}@Delinde.Example`,
		department,
		title: TITLES[i % TITLES.length],
		company: 'Zorggroep De Linde',
		employeeID: String(100000 + i),
		manager: 'CN=Sanne Jansen,OU=Management,OU=Staff,DC=delinde,DC=local',
		userAccountControl: i % 40 === 0 ? '514' : '512',
		accountExpires: i % 97 === 0 ? '132000000000000000' : '9223372036854775807',
		memberOf: ['CN=All staff,OU=Groups,DC=delinde,DC=local', `CN=Dept ${department},OU=Groups,DC=delinde,DC=local`],
	};
}

export const adEntries = (n: number): IDataObject[] => Array.from({ length: n }, (_, i) => adEntry(i));

interface MapperParameters {
	mappingKey: string;
	userName: string;
	active: string;
	profileFields: { field: Array<{ path: string; expression: string; apply?: string }> };
	groupRules: { rule: Array<{ group?: string; groupFrom?: 'fixed' | 'field'; groupName?: string; condition: string }> };
}

/** The Plek Mapper node's parameters in templates/active-directory-ldap.json. */
export function adTemplateParameters(): INodeParameters {
	const file = join(__dirname, '..', 'templates', 'active-directory-ldap.json');
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Array<{ type: string; parameters: INodeParameters }> };
	const mapper = workflow.nodes.find((node) => node.type.endsWith('.plekMapper'));
	if (!mapper) throw new Error(`${file} has no Plek Mapper node`);
	return mapper.parameters;
}

/** The same rules as the engine's config (what the node builds from its parameters). */
export function configOf(parameters: INodeParameters): FieldsMappingConfig {
	const p = parameters as unknown as MapperParameters;
	return {
		key: p.mappingKey,
		userName: p.userName,
		active: p.active,
		profile: p.profileFields.field.map((f) => ({ path: f.path, expression: f.expression, createOnly: f.apply === 'createOnly' })),
		// As the node builds them: a rule Named by a Field has a groupName expression and an optional condition.
		groups: p.groupRules.rule.map((r) =>
			r.groupFrom === 'field' ? { group: '', groupName: r.groupName ?? '', condition: r.condition ?? '' } : { group: r.group ?? '', condition: r.condition },
		),
	};
}
