import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

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
import type { ParameterReader } from '../params';
import { ParameterProblem, ParameterSchema } from '../../shared/parameters';
import * as group from './group/Group.resource';
import type { PlekType } from './node.type';
import * as user from './user/User.resource';

/** One operation: its parameters (read and checked by params.ts against its own description) and what it does. */
interface Operation {
	schema: ParameterSchema;
	read: ParameterReader<unknown>;
	execute: (this: IExecuteFunctions, ctx: PlekExecutionContext, params: never, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
}

function operation<P>(module: {
	description: INodeProperties[];
	read: ParameterReader<P>;
	execute: (this: IExecuteFunctions, ctx: PlekExecutionContext, params: P, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
}): Operation {
	return { schema: new ParameterSchema(module.description), read: module.read, execute: module.execute as Operation['execute'] };
}

const OPERATIONS: { [R in PlekType['resource']]: Record<string, Operation> } = {
	user: {
		get: operation(user.get),
		getMany: operation(user.getMany),
		create: operation(user.create),
		update: operation(user.update),
		deactivate: operation(user.deactivate),
		reactivate: operation(user.reactivate),
	},
	group: {
		getMany: operation(group.getMany),
		addMembers: operation(group.addMembers),
		removeMembers: operation(group.removeMembers),
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

/** An item's error as n8n shows it, secrets redacted: a refused parameter or a refusal names its cause, Plek's errors are NodeApiErrors. */
function itemError(node: INode, error: unknown, itemIndex: number, secrets: readonly string[]): NodeOperationError | NodeApiError {
	if (!(error instanceof NodeOperationError || error instanceof ParameterProblem)) return toNodeApiError(node, error, itemIndex, secrets);
	const description = error instanceof ParameterProblem ? error.whatToDo : error.description;
	return new NodeOperationError(node, redact(error.message, secrets), { itemIndex, description: description ? redact(description, secrets) : undefined });
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
			// Every parameter of the item is checked before its first request (an AI agent fills them too).
			const params = handler.read((name) => this.getNodeParameter(name, itemIndex, handler.schema.defaultOf(name)), handler.schema);
			const result = await handler.execute.call(this, ctx, params as never, itemIndex);
			const executionData = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
				itemData: { item: itemIndex },
			});
			returnData.push(...executionData);
		} catch (error) {
			const nodeError = itemError(this.getNode(), error, itemIndex, secrets);
			if (this.continueOnFail()) {
				returnData.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
