/**
 * panepipe's own processes decode msgpack strings in JavaScript rather than
 * with msgpackr's native extractor: every message is small, and on a
 * command's short strings the native call costs more than it saves (a
 * setText frame decodes in ≈ 150 ns instead of ≈ 195 ns, and the engine
 * decodes each command on both of its threads). msgpackr reads this switch
 * once, when it is first loaded, so this is the entry point's first import;
 * the engine thread inherits it with the environment. An application that
 * imports the client library keeps its own choice. Setting the variable
 * yourself overrides this.
 */
process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED ??= 'true';
