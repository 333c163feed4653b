import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isEmptyValue, writeScimPath } from '../../../../core/scimPath';
import type { ScimUserDraft } from '../../../../core/types';
import { USER_SCHEMA } from '../../../../transport';
import type { PlekExecutionContext } from '../../helpers/interfaces';
import { emailWrites, userToJson, validateProfileFields } from '../../helpers/utils';
import { readCreateUser, type CreateUserParams } from '../../params';
import { profileFieldsProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'User Name',
		name: 'userName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. j.jansen@acme.nl',
		description: 'The login name of the new user; unique in Plek',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 8d3c5a1e-7b2f-4c6d-9e0a-1b2c3d4e5f60',
		description:
			'The mapping key from the HR system or Active Directory (SCIM externalId). Set it so Plek Sync and this node can find the user again.',
	},
	{
		displayName: 'Active',
		name: 'active',
		type: 'boolean',
		default: true,
		description: 'Whether the user can sign in to Plek',
	},
	profileFieldsProperty(false),
];

const displayOptions = { show: { resource: ['user'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * An External ID is one person's mapping key: a second account carrying it would split that person in two (and not
 * every SCIM server refuses the duplicate). So a create with an External ID first looks it up, and an existing
 * holder refuses the create, naming the account.
 */
async function refuseTakenExternalId(this: IExecuteFunctions, ctx: PlekExecutionContext, externalId: string, itemIndex: number): Promise<void> {
	const holder = await ctx.client.findUserByExternalId(externalId);
	if (!holder) return;
	throw new NodeOperationError(this.getNode(), `Create refused: Plek already has an account with External ID "${externalId}" (userName "${String(holder.userName ?? '')}", Plek ID ${String(holder.id ?? '')})`, {
		itemIndex,
		description: 'An External ID belongs to one account. To change that account, use User › Update and find it by External ID; to create another person, give them their own External ID.',
	});
}

export const read = readCreateUser;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: CreateUserParams, itemIndex: number): Promise<IDataObject> {
	const { userName, externalId, active } = params;
	const fields = await validateProfileFields.call(this, ctx, params.fields, itemIndex);
	ctx.protection.assertNotImpersonating(this, [{ field: 'User Name', value: userName }, ...emailWrites(fields)], 'Create', itemIndex);

	if (externalId) await refuseTakenExternalId.call(this, ctx, externalId, itemIndex);

	const draft: ScimUserDraft = { schemas: [USER_SCHEMA], userName, active };
	if (externalId) draft.externalId = externalId;
	for (const field of fields) {
		if (!isEmptyValue(field.value)) writeScimPath(draft, field.path, field.value);
	}
	return userToJson(await ctx.client.createUser(draft));
}
