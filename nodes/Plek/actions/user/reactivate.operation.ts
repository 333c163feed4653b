import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findUser } from '../../helpers/lookup';
import { userToJson } from '../../helpers/utils';
import { readUserTarget, type UserLocator } from '../../params';
import { userLocatorProperty } from '../common.descriptions';

const properties: INodeProperties[] = [userLocatorProperty];

const displayOptions = { show: { resource: ['user'], operation: ['reactivate'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Sets active=true with a PATCH. */
export const read = readUserTarget;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: { user: UserLocator }, itemIndex: number): Promise<IDataObject> {
	const user = await findUser.call(this, ctx.client, params.user, itemIndex);
	return userToJson(
		await ctx.client.patchUser(user.id, [{ op: 'replace', path: 'active', value: true }], user.meta?.version),
	);
}
