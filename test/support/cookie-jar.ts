/**
 * A browser's cookie jar, for tests of code that writes cookies through Next's real
 * `response.cookies`: it applies the response's Set-Cookie lines the way a browser does (a
 * deletion removes, a replacement keeps the cookie's place, a new cookie goes last: RFC 6265
 * §5.3, §5.4), and builds the next request's `Cookie` header in creation order.
 */
import { NextRequest, NextResponse } from 'next/server';

export class BrowserJar {
  readonly cookies = new Map<string, { value: string; line: string }>();

  /** Applies a response's Set-Cookie lines. */
  receive(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';', 1) as [string];
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = decodeURIComponent(pair.slice(eq + 1));
      const expired = /expires=thu, 01 jan 1970/i.test(line) || /max-age=0(;|$)/i.test(line);
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, line });
    }
  }

  header(): string {
    return [...this.cookies].map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  /** A request to `path` carrying this jar's cookies. */
  request(path = '/auth/login'): NextRequest {
    return new NextRequest(`http://localhost:3000${path}`, {
      headers: this.cookies.size ? { cookie: this.header() } : {},
    });
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }
}

/** A fresh response whose `cookies` the code under test writes to. */
export function emptyResponse(): NextResponse {
  return new NextResponse(null, { status: 204 });
}
