/** The bundled sample organisation (samples/organisation.json) and what Plek should look like after a sync. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_DIR } from './n8n';

export interface SamplePerson {
	employeeNumber: string;
	objectGUID: string;
	sAMAccountName: string;
	givenName: string;
	particle: string;
	familyName: string;
	sn: string;
	displayName: string;
	mail: string;
	department: string;
	title: string;
	active: boolean;
	leaveDate: string | null;
	userAccountControl: number;
	accountExpires: string;
	dn: string;
}

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export function samplePeople(): SamplePerson[] {
	return JSON.parse(readFileSync(join(REPO_DIR, 'samples', 'organisation.json'), 'utf8')).people;
}

/** The groups the templates' group rules name: created in the sandbox before a sync (Plek's groups exist). */
export const TEMPLATE_GROUPS = [
	'All staff', 'Care', 'Home Care', 'Facilities', 'Finance', 'HR', 'ICT', 'Communication', 'Management', 'Nurses', 'Managers',
];

export function groupSeed() {
	return { users: [], groups: TEMPLATE_GROUPS.map((displayName) => ({ displayName, members: [] })) };
}

/** Group name -> set of member user ids, from the sandbox's groups. */
export function membersByGroup(groups: Array<Record<string, any>>): Map<string, Set<string>> {
	return new Map(groups.map((g) => [g.displayName as string, new Set(((g.members ?? []) as Array<{ value: string }>).map((m) => m.value))]));
}
