/** A JSONata expression of the mapping does not compile. Names the expression and the position of the error. */
export class MappingCompileError extends Error {
	/** Which expression, e.g. `mapping key`, `profile field name.givenName`, `group rule "Care"`. */
	readonly expressionName: string;
	readonly expression: string;
	/** Character position (1-based, as jsonata reports it) in the expression, when known. */
	readonly position?: number;
	readonly token?: string;
	readonly code?: string;
	/** The problem alone, without the expression name (for callers that name the expression themselves). */
	readonly detail: string;

	constructor(
		expressionName: string,
		expression: string,
		detail: string,
		extra: { position?: number; token?: string; code?: string } = {},
	) {
		const where = extra.position !== undefined ? ` at position ${extra.position}` : '';
		super(`Invalid JSONata in ${expressionName}${where}: ${detail}`);
		this.name = 'MappingCompileError';
		this.expressionName = expressionName;
		this.detail = detail;
		this.expression = expression;
		this.position = extra.position;
		this.token = extra.token;
		this.code = extra.code;
	}
}

/** Thrown by a helper function when its input cannot be read; becomes the record's reason. */
export class HelperError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HelperError';
	}
}

/** The time or depth bound of an evaluation was hit. */
export class BoundedEvaluationError extends Error {
	readonly code = 'PLEK_BOUNDED';
	constructor(message: string) {
		super(message);
		this.name = 'BoundedEvaluationError';
	}
}
