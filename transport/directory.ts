// The PlekDirectory of one run: the executor's view of Plek. Reads go to the SCIM API; writes go through the
// run's ScimWriter, which holds what this run learned of the server (its PATCH dialect, the attributes it refused
// or dropped, whether its listing is doubted, the create conflicts met). Every outcome leaves here redacted.
import type {
	AttributeRefusal,
	CreateConflict,
	CreateOutcome,
	MembershipChange,
	MembershipOptions,
	PlekCapabilities,
	PlekDirectory,
	ScimGroup,
	ScimUser,
	ScimUserDraft,
	UpdateOutcome,
	UserWrite,
	UserWriteOptions,
	WriteFailure,
	WriteOutcome,
} from '../core/types';
import { redact } from './errors';
import type { ScimApi } from './scimApi';
import { ScimWriter } from './writes';

export interface RunDirectoryOptions {
	/** Members per group PATCH. Default 100. */
	membersPerPatch?: number;
}

export class RunDirectory implements PlekDirectory {
	private readonly writer: ScimWriter;
	private readonly membersPerPatch: number;

	constructor(
		private readonly api: ScimApi,
		options: RunDirectoryOptions = {},
	) {
		this.membersPerPatch = Math.max(1, options.membersPerPatch ?? 100);
		this.writer = new ScimWriter(api, { retry: api.sender.retry });
	}

	// ---------------------------------------------------------------- reads

	async capabilities(): Promise<PlekCapabilities> {
		return await this.api.capabilities();
	}

	async listUsers(): Promise<ScimUser[]> {
		return await this.api.listAll<ScimUser>('/Users');
	}

	/** Groups with their members. */
	async listGroups(): Promise<ScimGroup[]> {
		return await this.api.listAll<ScimGroup>('/Groups');
	}

	async findUserByExternalId(externalId: string): Promise<ScimUser | undefined> {
		return await this.api.findUserByExternalId(externalId);
	}

	async findUserByUserName(userName: string): Promise<ScimUser | undefined> {
		return await this.api.findUserByUserName(userName);
	}

	/** HTTP requests made so far, retries included. */
	requestCount(): number {
		return this.api.sender.requestCount();
	}

	// ---------------------------------------------------------------- typed writes

	/** User creates and PATCHes with typed outcomes; Bulk when advertised and allowed; see ScimWriter. */
	async writeUsers(writes: readonly UserWrite[], options?: UserWriteOptions): Promise<WriteOutcome[]> {
		const onSettled = options?.onSettled;
		const outcomes = await this.writer.writeUsers(writes, {
			...options,
			onSettled: onSettled && ((index, outcome) => onSettled(index, this.redactOutcome(outcome))),
		});
		return outcomes.map((outcome) => outcome && this.redactOutcome(outcome));
	}

	/** One user create with its outcome resolved (409, lost answers); see ScimWriter.createUser. */
	async createUser(draft: ScimUserDraft): Promise<CreateOutcome<ScimUser>> {
		return this.redactOutcome(await this.writer.createUser(draft));
	}

	/** The create conflicts met since the last call (see ScimWriter.takeCreateConflicts). */
	takeCreateConflicts(): CreateConflict[] {
		return this.writer.takeCreateConflicts();
	}

	async ensureGroup(displayName: string, externalId?: string): Promise<CreateOutcome<ScimGroup>> {
		return this.redactOutcome(await this.writer.ensureGroup(displayName, externalId));
	}

	async changeMembers(change: MembershipChange, options?: MembershipOptions): Promise<UpdateOutcome[]> {
		const onRequest = options?.onRequest;
		const outcomes = await this.writer.changeMembers(change, {
			membersPerRequest: this.membersPerPatch,
			...options,
			onRequest: onRequest && ((chunk) => onRequest(chunk.map((outcome) => this.redactOutcome(outcome)))),
		});
		return outcomes.map((outcome) => this.redactOutcome(outcome));
	}

	/** The last check on what leaves for the executor (Issues, Changes, the breaker's description). */
	private redactOutcome<T extends { outcome: string }>(outcome: T): T {
		const text = (value: string) => redact(value, this.api.sender.secrets);
		if (outcome.outcome === 'failed') {
			const failure = outcome as unknown as WriteFailure;
			failure.detail = text(failure.detail);
			if (failure.hint) failure.hint = text(failure.hint);
			if (failure.scimType) failure.scimType = text(failure.scimType);
		} else if (outcome.outcome === 'updated') {
			for (const refusal of (outcome as { notApplied?: AttributeRefusal[] }).notApplied ?? []) {
				refusal.detail = text(refusal.detail);
				if (refusal.scimType) refusal.scimType = text(refusal.scimType);
			}
		}
		return outcome;
	}
}
