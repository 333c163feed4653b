import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildPatchOperations, isEmptyValue } from '../../../../core/scimPath';
import type { AttributeWrite } from '../../../../core/scimPath';
import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findUser } from '../../helpers/lookup';
import { emailWrites, userToJson, validateProfileFields } from '../../helpers/utils';
import { readUpdateUser, type UpdateUserParams } from '../../params';
import { profileFieldsProperty, userLocatorProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	userLocatorProperty,
	profileFieldsProperty(true),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Clear Empty Values',
				name: 'clearEmptyValues',
				type: 'boolean',
				default: false,
				description:
					'Whether a profile field with an empty value removes that field in Plek. Off: empty values are skipped.',
			},
		],
	},
];

const displayOptions = { show: { resource: ['user'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const read = readUpdateUser;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: UpdateUserParams, itemIndex: number): Promise<IDataObject> {
	const fields = await validateProfileFields.call(this, ctx, params.fields, itemIndex);
	const user = await findUser.call(this, ctx.client, params.user, itemIndex);
	await ctx.protection.assertUnprotected(this, user, 'Update', itemIndex);
	ctx.protection.assertNotImpersonating(this, emailWrites(fields), 'Update', itemIndex);
	const writes: AttributeWrite[] = fields
		.filter((field) => params.clearEmptyValues || !isEmptyValue(field.value))
		.map((field) => ({ path: field.path, value: isEmptyValue(field.value) ? undefined : field.value }));
	const operations = buildPatchOperations(user, writes);
	if (operations.length === 0) return userToJson(user);
	return userToJson(await ctx.client.patchUser(user.id, operations, user.meta?.version));
}
