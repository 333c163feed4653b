import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { createPlekClient, credentialSecrets, PLEK_CREDENTIAL_TYPE, toNodeApiError } from '../../../transport';
import type { PlekCredentialData, PlekScimClient } from '../../../transport';
import { CUSTOM_PATH, displayNameOfPath, profileFieldChoices, readUserAttributes } from '../helpers/utils';

async function withClient<T>(ctx: ILoadOptionsFunctions, work: (client: PlekScimClient) => Promise<T>): Promise<T> {
	const credentials = (await ctx.getCredentials(PLEK_CREDENTIAL_TYPE)) as PlekCredentialData;
	// A live list: the client adds each token to it the moment n8n obtains one.
	const secrets = credentialSecrets(credentials);
	try {
		return await work(await createPlekClient(ctx, { maxAttempts: 2, secrets }));
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, undefined, secrets);
	}
}

/** Profile fields Plek syncs, from /Schemas: writable, not dates, pictures or complex values; plus "enter a path". */
export async function getProfileFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const attributes = await withClient(this, readUserAttributes);
	const options: INodePropertyOptions[] = profileFieldChoices(attributes)
		.map(({ path, description }) => ({ name: displayNameOfPath(path), value: path, description: description || path }))
		.sort((a, b) => a.name.localeCompare(b.name));
	options.push({
		name: 'Enter a Path',
		value: CUSTOM_PATH,
		description: 'Type a SCIM attribute path by hand',
	});
	return options;
}

/** Plek groups by display name; the value is the group's Plek ID. */
export async function getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const groups = await withClient(this, async (client) => await client.listGroups());
	return groups
		.map((group) => ({ name: group.displayName || group.id, value: group.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
