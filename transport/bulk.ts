// SCIM Bulk requests as the SCIM API sends them for a caller's list of operations: batches within the server's
// maxOperations and maxPayloadSize, with `bulkId:` references to resources an earlier batch created replaced by
// their ids. (The typed user writes chunk their own Bulk requests in writes.ts, with headroom for the envelope.)
import type { BulkOperation, BulkOperationResult, PlekCapabilities } from '../core/types';
import { PlekApiError } from './errors';
import { BULK_REQUEST_SCHEMA } from './schemas';

/** The body of one Bulk request. */
export function bulkRequestBody(operations: readonly unknown[]): { schemas: string[]; Operations: unknown[] } {
	return { schemas: [BULK_REQUEST_SCHEMA], Operations: [...operations] };
}

function byteLength(text: string): number {
	return new TextEncoder().encode(text).length;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function substituteBulkIds(op: BulkOperation, createdIds: ReadonlyMap<string, string>): BulkOperation {
	if (createdIds.size === 0) return op;
	let text = JSON.stringify(op);
	if (!text.includes('bulkId:')) return op;
	for (const [bulkId, id] of createdIds) {
		const replacement = JSON.stringify(id).slice(1, -1);
		text = text.replace(new RegExp(`bulkId:${escapeRegExp(bulkId)}(?![A-Za-z0-9_.~-])`, 'g'), () => replacement);
	}
	return JSON.parse(text) as BulkOperation;
}

/** Splits operations into Bulk requests one at a time, so each batch sees the ids the batches before it created. */
export class BulkBatcher {
	private index = 0;
	private readonly createdIds = new Map<string, string>();
	private readonly maxOperations: number;
	private readonly maxPayload: number;
	private readonly overhead = byteLength(JSON.stringify(bulkRequestBody([])));

	constructor(
		private readonly operations: readonly BulkOperation[],
		caps: PlekCapabilities,
	) {
		this.maxOperations = caps.bulk.maxOperations > 0 ? caps.bulk.maxOperations : 1000;
		this.maxPayload = caps.bulk.maxPayloadSize > 0 ? caps.bulk.maxPayloadSize : Number.POSITIVE_INFINITY;
	}

	/** The next batch (empty when every operation went); throws when one operation alone is over maxPayloadSize. */
	next(): BulkOperation[] {
		const batch: BulkOperation[] = [];
		let size = this.overhead;
		while (this.index < this.operations.length && batch.length < this.maxOperations) {
			const op = substituteBulkIds(this.operations[this.index], this.createdIds);
			const opSize = byteLength(JSON.stringify(op)) + (batch.length > 0 ? 1 : 0);
			if (size + opSize > this.maxPayload) {
				if (batch.length === 0) {
					throw new PlekApiError(
						`A single bulk operation (${op.method} ${op.path}) is larger than Plek's maxPayloadSize of ${this.maxPayload} bytes`,
						{ status: 413, method: 'POST', path: '/Bulk', hint: 'Turn bulk off for this run.' },
					);
				}
				break;
			}
			batch.push(op);
			size += opSize;
			this.index++;
		}
		return batch;
	}

	/** A batch's results: the ids of resources created with a bulkId, for the batches after it. */
	remember(results: readonly BulkOperationResult[]): void {
		for (const result of results) {
			const status = Number(result.status);
			if (result.bulkId && result.location && status >= 200 && status < 300) {
				const id = result.location.replace(/\/+$/, '').split('/').pop();
				if (id) this.createdIds.set(result.bulkId, id);
			}
		}
	}
}
