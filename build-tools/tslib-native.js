export async function __awaiter(thisArg, args, _P, body) {
  const it = body.apply(thisArg, args);
  let step = it.next();
  while (!step.done) {
    let value;
    try { value = await step.value; } catch (error) { step = it.throw(error); continue; }
    step = it.next(value);
  }
  return step.value;
}
export function __asyncValues(o) {
  const method = o[Symbol.asyncIterator];
  return method ? method.call(o) : (async function* () { yield* o; })();
}
export function __await(v) { return this instanceof __await ? ((this.v = v), this) : new __await(v); }
export async function* __asyncGenerator(thisArg, args, body) {
  const it = body.apply(thisArg, args);
  let step = it.next();
  let done = false;
  try {
    while (!step.done) {
      let value;
      try { value = step.value instanceof __await ? await step.value.v : yield step.value; } catch (error) { step = it.throw(error); continue; }
      step = it.next(value);
    }
    done = true;
    return step.value;
  } finally { if (!done) it.return(); }
}
