import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findUserForItem } from '../../helpers/lookup';
import { userToJson } from '../../helpers/utils';
import { userLookupProperties } from '../common.descriptions';

const properties: INodeProperties[] = [...userLookupProperties(true)];

const displayOptions = { show: { resource: ['user'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, itemIndex: number): Promise<IDataObject> {
	return userToJson(await findUserForItem.call(this, ctx.client, itemIndex));
}
