import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { createPlekClient, credentialSecrets, PLEK_CREDENTIAL_TYPE, scimFilterValue, toNodeApiError } from '../../../transport';
import type { PlekCredentialData } from '../../../transport';
import { personName } from '../helpers/utils';

const PAGE = 50;

/** The User locator's list: users by userName (starts with what was typed), one SCIM page at a time. */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const credentials = (await this.getCredentials(PLEK_CREDENTIAL_TYPE)) as PlekCredentialData;
	const secrets = credentialSecrets(credentials);
	const startIndex = Math.max(1, Number(paginationToken ?? 1) || 1);
	const typed = (filter ?? '').trim();
	try {
		const client = await createPlekClient(this, { maxAttempts: 2, secrets });
		const page = await client.listUsersPage(startIndex, PAGE, typed ? `userName sw ${scimFilterValue(typed)}` : undefined);
		const next = startIndex + page.Resources.length;
		return {
			results: page.Resources.map((user) => {
				const name = personName(user);
				return { name: name ? `${user.userName} (${name})` : user.userName, value: user.id };
			}),
			paginationToken: page.Resources.length > 0 && next <= page.totalResults ? String(next) : undefined,
		};
	} catch (error) {
		throw toNodeApiError(this.getNode(), error, undefined, secrets);
	}
}

/** The Group locator's list: groups whose name contains what was typed (Plek lists groups with their members). */
export async function searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const credentials = (await this.getCredentials(PLEK_CREDENTIAL_TYPE)) as PlekCredentialData;
	const secrets = credentialSecrets(credentials);
	const typed = (filter ?? '').trim().toLowerCase();
	try {
		const client = await createPlekClient(this, { maxAttempts: 2, secrets });
		const groups = await client.listGroups();
		return {
			results: groups
				.filter((group) => !typed || (group.displayName ?? '').toLowerCase().includes(typed))
				.map((group) => ({ name: group.displayName || group.id, value: group.id }))
				.sort((a, b) => a.name.localeCompare(b.name)),
		};
	} catch (error) {
		throw toNodeApiError(this.getNode(), error, undefined, secrets);
	}
}
