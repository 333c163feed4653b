/** OAuth2 client-credentials tokens: issued by POST /oauth/token, checked on every SCIM request. */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenCheck = 'valid' | 'missing' | 'invalid' | 'expired';

export class TokenIssuer {
	private readonly expiryByToken = new Map<string, number>();

	constructor(
		private readonly ttlSeconds: number,
		private readonly staticToken?: string,
	) {}

	issue(): { access_token: string; token_type: 'Bearer'; expires_in: number } {
		const token = randomBytes(24).toString('base64url');
		this.expiryByToken.set(token, Date.now() + this.ttlSeconds * 1000);
		return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds };
	}

	/** Every token issued so far (tests grep logs and saved executions for them). */
	issued(): string[] {
		return [...this.expiryByToken.keys()];
	}

	check(authorization: string | undefined): TokenCheck {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!match) return 'missing';
		const token = match[1];
		if (this.staticToken !== undefined && safeEqual(token, this.staticToken)) return 'valid';
		const expiry = this.expiryByToken.get(token);
		if (expiry === undefined) return 'invalid';
		if (Date.now() >= expiry) {
			this.expiryByToken.delete(token);
			return 'expired';
		}
		return 'valid';
	}
}

/** Constant-time comparison, so the sandbox does not teach clients timing-unsafe habits by example. */
export function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}
