// The error of a run the failure breaker stopped (core/sync/breaker.ts): what was done, what failed, what was not
// attempted and what to check. The complete list of people not attempted travels in the error's context (saved with
// the execution), so nothing is lost without Continue on Fail either.
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { stoppedDescription, type FailureKind } from '../../core/sync/breaker';
import type { SyncResult } from '../../core/sync/types';

const CAUSE: Record<FailureKind, 'credential-invalid' | 'rate-limited' | 'temporarily-unavailable' | 'configuration-invalid'> = {
	credential: 'credential-invalid',
	rateLimit: 'rate-limited',
	unavailable: 'temporarily-unavailable',
	refused: 'configuration-invalid',
};

/** Most not-attempted people named in the error's context (the Issues output names all of them). */
const IN_CONTEXT = 1000;

export function stoppedError(node: INode, result: SyncResult): NodeOperationError {
	const stopped = result.summary.stopped;
	const error = new NodeOperationError(node, stopped?.reason ?? 'Sync stopped writing', {
		description: stoppedDescription(result),
		...(stopped ? { failure: { cause: CAUSE[stopped.failureKind] } } : {}),
	});
	const notAttempted = result.issues.filter((i) => i.type === 'notAttempted');
	error.context = {
		summary: result.summary as unknown as IDataObject,
		notAttempted: notAttempted.slice(0, IN_CONTEXT).map((i) => ({ key: i.key, userName: i.userName, groupName: i.groupName, action: i.action })),
		...(notAttempted.length > IN_CONTEXT ? { notAttemptedMore: notAttempted.length - IN_CONTEXT } : {}),
	} as IDataObject;
	return error;
}
