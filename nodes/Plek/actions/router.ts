import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AttributeInfo } from '../../../core/mapping/types';
import { credentialProtection, type ProtectionSettings } from '../../../core/protection';
import {
	PLEK_CREDENTIAL_TYPE,
	PlekApiError,
	createPlekClient,
	credentialSecrets,
	redact,
	toNodeApiError,
} from '../../../transport';
import type { PlekCredentialData, PlekScimClient } from '../../../transport';
import type { PlekExecutionContext } from '../helpers/interfaces';
import { NodeProtection } from '../helpers/protection';
import { readUserAttributes } from '../helpers/utils';
import * as group from './group/Group.resource';
import type { PlekType } from './node.type';
import * as user from './user/User.resource';

type OperationExecute = (
	this: IExecuteFunctions,
	ctx: PlekExecutionContext,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

const OPERATIONS: { [R in PlekType['resource']]: Record<string, { execute: OperationExecute }> } = {
	user: {
		get: user.get,
		getMany: user.getMany,
		create: user.create,
		update: user.update,
		deactivate: user.deactivate,
		reactivate: user.reactivate,
	},
	group: {
		getMany: group.getMany,
		addMembers: group.addMembers,
		removeMembers: group.removeMembers,
	},
};

/** /Schemas is optional in SCIM: without it, only the name-based checks of profile fields apply. */
function executionContext(client: PlekScimClient, protection: ProtectionSettings): PlekExecutionContext {
	let attributes: Promise<AttributeInfo[] | undefined> | undefined;
	return {
		client,
		protection: new NodeProtection(protection, client),
		userAttributes: async () => {
			attributes ??= readUserAttributes(client).catch((error: unknown) => {
				if (error instanceof PlekApiError && (error.status === 404 || error.status === 501)) return undefined;
				attributes = undefined;
				throw error;
			});
			return await attributes;
		},
	};
}

/** Runs the chosen operation once per input item; one item failing does not stop the others under continueOnFail. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const plek = { resource, operation } as PlekType;
	const handler = Object.prototype.hasOwnProperty.call(OPERATIONS, plek.resource)
		? OPERATIONS[plek.resource][plek.operation]
		: undefined;
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}

	const credentials = (await this.getCredentials(PLEK_CREDENTIAL_TYPE)) as PlekCredentialData;
	const secrets = credentialSecrets(credentials);
	let client: PlekScimClient;
	try {
		client = await createPlekClient(this, { secrets });
	} catch (error) {
		throw toNodeApiError(this.getNode(), error, undefined, secrets);
	}
	const ctx = executionContext(client, credentialProtection(credentials));

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await handler.execute.call(this, ctx, itemIndex);
			const executionData = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
				itemData: { item: itemIndex },
			});
			returnData.push(...executionData);
		} catch (error) {
			const nodeError =
				error instanceof NodeOperationError
					? new NodeOperationError(this.getNode(), redact(error.message, secrets), {
							itemIndex,
							description: error.description ? redact(error.description, secrets) : undefined,
						})
					: toNodeApiError(this.getNode(), error, itemIndex, secrets);
			if (this.continueOnFail()) {
				returnData.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
