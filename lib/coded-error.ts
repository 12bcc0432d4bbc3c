/**
 * One error base for every role, as jose has one (JOSEError and its `code`): a failure is a
 * reason code from a closed union, logged and tested by that code, never by its message.
 * Erasable TypeScript with no imports: the doctor runs the resource server's files under Node's
 * type stripping, and every role may import it.
 */
export class CodedError<Reason extends string> extends Error {
  // A field, not a parameter property: type stripping cannot erase those.
  readonly reason: Reason;
  constructor(reason: Reason, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}
