#!/usr/bin/env python3
"""Instructions per request by gateway step, by method (self and inclusive), by assembly and by gateway feature folder
(usage: attribute.py CALLGRIND_OUT PERF_MAP REQUESTS [TOP]), from a callgrind dump made with --dump-instr=yes (a cost
per instruction address, and every call as call-site address -> target address with its inclusive cost: callgrind's
own function boundaries are wrong for JIT code) and the runtime's perf map (DOTNET_PerfMapEnabled=1), which names
every JIT-compiled method and stub by address. Native code (the runtime, libc) keeps callgrind's symbol names.
Prints markdown; how the step and inclusive figures are computed, and their limits, is printed with them."""
import bisect
import collections
import re
import sys

dump, perf_map, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
top = int(sys.argv[4]) if len(sys.argv) > 4 else 25

# ---- perf map: sorted (start, end, name)
spans = []
for line in open(perf_map, errors="replace"):
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) == 3:
        spans.append((int(parts[0], 16), int(parts[0], 16) + int(parts[1], 16), parts[2]))
spans.sort()
starts = [span[0] for span in spans]
METHOD = re.compile(r"\[([^\]]+)\]\s*([^\s()]+?)::([^(\s]+)\(")


def managed(address):
    k = bisect.bisect_right(starts, address) - 1
    if k >= 0 and address < spans[k][1]:
        return spans[k][2]
    return None


def describe(name):
    """(assembly, feature, short method name) for a perf-map name."""
    if name.startswith("stub"):
        return "stubs (runtime-generated)", None, name
    match = METHOD.search(name)
    if not match:
        return "other managed", None, name
    assembly, type_name, method = match.groups()
    type_name = re.sub(r"\[[^\]]*\]", "", type_name)
    feature = None
    if assembly == "Gateway":
        parts = type_name.split(".")
        feature = parts[1] if len(parts) > 2 else type_name
    return assembly, feature, f"{type_name}::{method} [{assembly}]"


# ---- callgrind dump
# Cost lines "INSTR LINE COST" give self cost at an instruction address; "calls=COUNT TARGET_INSTR TARGET_LINE" and the
# line after it, "SOURCE_INSTR SOURCE_LINE INCLUSIVE_COST", give a call (call site -> target) and the instructions
# executed until it returned. Subposition compression: "+N"/"-N" (decimal) relative to the last cost line's address,
# "*" the same, "0x..." absolute; the two lines of a call are relative to the last cost line and do not move it, and a
# new fn= starts from scratch (callgrind's dump.c: fprint_pos, fprint_jcc, print_bbccs_of_thread). JIT code has no
# symbols: callgrind names a "function" after the address a call entered it at (fn=0x...), and everything reached from
# there by jumps, not calls (a precode stub's jump into its method, a tail call), is charged to that context.
names = {"ob": {}, "fn": {}}
current = {"ob": "", "fn": ""}
callee = {"ob": None, "fn": None}
self_by_key = collections.Counter()  # (address or None, obj, fn) -> self cost; address None for native code
context_keys = collections.defaultdict(collections.Counter)  # callgrind context (fn name) -> Counter of keys, self cost
edges = collections.Counter()  # (call-site key, caller context, callee context) -> inclusive cost
total = 0
last = 0
positions = 1
pending = None  # ("call", count, callee context) or ("jump",) while the second line of a two-line record is due
NAME = re.compile(r"^(c?|j?)(ob|fn|fl|fi|fe)=(?:\((\d+)\))?\s*(.*)$")
RECURSION = re.compile(r"'\d+$")


def subposition(text, last):
    if text.startswith("0x"):
        return int(text, 16)
    if text[0] == "+":
        return last + int(text[1:])
    if text[0] == "-":
        return last - int(text[1:])
    if text == "*":
        return last
    return int(text)


def key_of(address, obj, fn):
    """A self-cost bucket: JIT code (anonymous memory, "???") and ReadyToRun code (a mapped .dll) by address, named
    through the perf map later; native code by symbol (or callgrind's 0x... name where it has none)."""
    obj = obj.rsplit("/", 1)[-1]
    if obj in ("???", "") or obj.endswith(".dll"):
        return (address, obj, "")
    return (None, obj, RECURSION.sub("", fn))


# Name compression: "fn=(ID) name" defines an ID (for fn= and cfn= alike, and likewise ob=/cob=), "fn=(ID)" uses it;
# the IDs hold for the whole process, so a later dump (cg.NAME.2) uses names an earlier one (cg.NAME.1) defined.
numbered = re.match(r"^(.*)\.(\d+)$", dump)
if numbered:
    for part in range(1, int(numbered.group(2))):
        try:
            for line in open(f"{numbered.group(1)}.{part}", errors="replace"):
                match = NAME.match(line.rstrip("\n"))
                if match and match.group(3) and match.group(4) and match.group(2) in names:
                    names[match.group(2)][match.group(3)] = match.group(4)
        except FileNotFoundError:
            pass


summary = None
for line in open(dump, errors="replace"):
    line = line.rstrip("\n")
    if not line or line[0] == "#":
        continue
    if pending is None:
        if line.startswith("positions:"):
            positions = len(line.split()) - 1
            continue
        if line.startswith("totals:"):
            summary = int(line.split()[1])
            continue
        if line.startswith("calls="):
            count = line[6:].split()[0]
            context = RECURSION.sub("", callee["fn"] or current["fn"])
            pending = ("call", int(count), context)
            callee = {"ob": None, "fn": None}
            continue
        if line.startswith(("jump=", "jcnd=")):
            pending = ("jump",)
            continue
    match = NAME.match(line) if pending is None else None
    if match:
        prefix, kind, ident, text = match.groups()
        if kind in ("ob", "fn"):
            table = names[kind]
            if ident and text:
                table[ident] = text
            value = table.get(ident, text) if ident else text
            if prefix == "c":
                callee[kind] = value
            elif prefix == "":
                current[kind] = value
                if kind == "fn":
                    last = 0
        continue
    if not (line[0].isdigit() or line[0] in "+-*"):
        continue
    fields = line.split()
    address = subposition(fields[0], last)
    if pending is not None:
        record, pending = pending, None
        if record[0] == "call":
            cost = int(fields[positions]) if len(fields) > positions else 0
            edges[(key_of(address, current["ob"], current["fn"]), RECURSION.sub("", current["fn"]), record[2])] += cost
        continue
    last = address
    cost = int(fields[positions]) if len(fields) > positions else 0
    total += cost
    key = key_of(address, current["ob"], current["fn"])
    self_by_key[key] += cost
    context_keys[RECURSION.sub("", current["fn"])][key] += cost

# ---- names
name_cache = {}


def method_of(key):
    """Short method name and perf-map-based description of a self-cost bucket."""
    if key in name_cache:
        return name_cache[key]
    address, obj, fn = key
    if address is None:
        result = (f"{fn} [{obj}]", f"native: {obj}", None)
        if obj.startswith("libc") and re.search(r"mem(set|cpy|move)", fn):
            result = (f"{fn} [{obj}]", "memset/memcpy (libc: zeroing allocations, copies)", None)
    else:
        name = managed(address)
        if name is None:
            # ReadyToRun code of a framework assembly (mapped from its file) is not in the perf map: by file only.
            group = f"{obj} (ReadyToRun, unnamed)" if obj.endswith(".dll") else "unnamed code (not in the perf map)"
            result = (group, group, None)
        else:
            assembly, feature, method = describe(name)
            result = (method, assembly, feature)
    name_cache[key] = result
    return result


self_by_method = collections.Counter()
by_assembly = collections.Counter()
by_feature = collections.Counter()
for key, cost in self_by_key.items():
    method, assembly, feature = method_of(key)
    self_by_method[method] += cost
    by_assembly[assembly] += cost
    if feature:
        by_feature[feature] += cost

# The methods a callgrind context ran, with their self cost: for a call through a stub (precode, virtual stub
# dispatch, a delegate to a not-yet-compiled method), the stub and the method it jumps to.
context_methods = {}
for context, keys in context_keys.items():
    methods = collections.Counter()
    for key, cost in keys.items():
        methods[method_of(key)[0]] += cost
    context_methods[context] = methods


def entered(context):
    """The method a call into this context entered: the costliest one that is not a stub (a stub jumps on)."""
    methods = context_methods.get(context)
    if not methods:
        return context
    real = [(cost, method) for method, cost in methods.items() if not method.startswith(("stub", "unnamed"))]
    return max(real)[1] if real else max((cost, method) for method, cost in methods.items())[1]


# ---- the call graph between callgrind contexts, and shares of a context's inclusive cost
context_self = {context: sum(methods.values()) for context, methods in context_methods.items()}
calls_from = collections.defaultdict(collections.Counter)  # caller context -> callee context -> cost
callers_of = collections.defaultdict(set)
for (key, caller_context, context), cost in edges.items():
    calls_from[caller_context][context] += cost
    callers_of[context].add(caller_context)
context_inclusive = {context: context_self.get(context, 0) + sum(calls_from[context].values())
                     for context in set(context_self) | set(calls_from)}


def callers_reaching(contexts):
    """The contexts given and every context whose calls lead into one of them."""
    reach, queue = set(contexts), list(contexts)
    while queue:
        for caller in callers_of.get(queue.pop(), ()):
            if caller not in reach:
                reach.add(caller)
                queue.append(caller)
    return reach


def share_spent_in(stop):
    """For every context that can reach one of the stop contexts: the share of a call's inclusive cost into it that
    is spent inside stop contexts (their self cost and everything they call), assuming each context splits its cost
    over its calls the same way whoever called it (the dump has call edges, not stacks); 1 for a stop context."""
    reach = sorted(callers_reaching(stop) - set(stop))  # sorted: the same result on every run
    share = {context: 1.0 for context in stop}
    for _ in range(200):
        changed = False
        for context in reach:
            total_cost = context_inclusive.get(context, 0)
            value = sum(cost * share.get(callee, 0.0) for callee, cost in calls_from[context].items()) / total_cost if total_cost else 0.0
            if abs(value - share.get(context, 0.0)) > 1e-5:
                share[context], changed = value, True
        if not changed:
            break
    return share


# ---- inclusive cost per method: self cost plus the inclusive cost of every call made from inside the method to
# another method (callgrind's inclusive cost of a call already holds everything below it). A method that runs nested
# inside itself through other methods (Task continuations completing outer continuations, say) would count the nested
# runs twice, once in its self cost and calls and once in the call that led to them: the share of each call spent in
# the method's own contexts (share_spent_in) is taken off.
calls_by_method = collections.defaultdict(collections.Counter)
for (key, caller_context, context), cost in edges.items():
    calls_by_method[method_of(key)[0]][context] += cost
contexts_of_method = collections.defaultdict(set)  # the contexts a method's code ran in (entered, or jumped to)
for context, methods in context_methods.items():
    for method in methods:
        contexts_of_method[method].add(context)


def inclusive_of(method, exact):
    own = contexts_of_method.get(method, set())
    nested = share_spent_in(own) if exact and own else {}
    return self_by_method[method] + sum(cost * (1.0 - nested.get(context, 0.0))
                                        for context, cost in calls_by_method[method].items() if context not in own)


naive = collections.Counter({method: inclusive_of(method, False) for method in set(self_by_method) | set(calls_by_method)})
inclusive = collections.Counter()
candidates = [method for method, _ in naive.most_common()]
checked = 0
while checked < len(candidates):
    for method in candidates[checked:checked + 40]:
        inclusive[method] = inclusive_of(method, True)
    checked += 40
    # corrected costs never exceed the uncorrected ones: once the top list's last entry beats every unchecked method's
    # uncorrected cost, the list is final.
    listed = [cost for method, cost in inclusive.most_common() if not re.search(r"^System\.(Threading|Runtime\.CompilerServices\.Async|Net\.Sockets\.SocketAsync)", method)]
    if len(listed) >= top and listed[top - 1] >= (naive[candidates[checked]] if checked < len(candidates) else 0):
        break
recursive = {method for method in inclusive if inclusive[method] < 0.99 * naive[method]}

# ---- gateway steps, in pipeline order (src/Gateway/GatewayExtensions.cs): a step is the set of methods whose
# type matches its pattern (a middleware's class, its async state machines and lambdas, the library code it stands for).
# Shared accessors (features, headers, properties) belong to no step: they count for whichever step called them.
SHARED = re.compile(r"IFeatureCollection|ExtraFeature(Get|Set)|FeatureReferences|IHeaderDictionary|::get_|::set_"
                    r"|Headers::(TryGetValueFast|SetValueFast|SetValueUnknown|AddValueFast|RemoveFast|GetInternedHeaderName)")
STEPS = [
    ("Kestrel: request line and header parsing", r"Kestrel\.Core\.Internal\.Http\.(HttpParser|Http1Connection::(TryParseRequest|ParseRequest|TakeStartLine|TakeMessageHeaders|OnStartLine|OnHeader|OnHeadersComplete)|HttpRequestHeaders::Append)"),
    ("Kestrel: connection loop, response headers and writing, sockets", r"\[Microsoft\.AspNetCore\.Server\.Kestrel\.(Core|Transport\.Sockets)\]$"),
    ("hosting: HttpContext, request Activity, hosting events", r"^Microsoft\.AspNetCore\.Hosting\.|^Microsoft\.AspNetCore\.Http\.DefaultHttpContextFactory"),
    ("UseGatewayMetrics (ResponseRecorder)", r"^Gateway\.Observability\.ResponseRecorder"),
    ("UseProxyStatus", r"^Gateway\.Errors\.ProxyStatusMiddleware"),
    ("UseGatewayExceptionHandler (ASP.NET Core ExceptionHandlerMiddleware)", r"ExceptionHandlerMiddleware"),
    ("UseRequestTargetCheck", r"^Gateway\.Limits\.RequestTargetMiddleware"),
    ("UseAdminNoRouteProblems", r"^Gateway\.Routing\.AdminNoRouteMiddleware"),
    ("UseGatewayRedirects", r"^Gateway\.Redirects\."),
    ("UseRouting (endpoint matching, ListenerMatcherPolicy)", r"^Microsoft\.AspNetCore\.Routing\.(EndpointRoutingMiddleware|Matching\.|DefaultEndpointDataSource|CompositeEndpointDataSource)|^Gateway\.Hosting\.ListenerMatcherPolicy"),
    ("UseWhen branches (request timeouts, authentication, authorization)", r"UseWhenExtensions|^Gateway\.Hosting\.EndpointScopedMiddleware|^Gateway\.Auth\.AuthExtensions"),
    ("UseGatewayRequestTimeouts", r"RequestTimeouts?Middleware|Microsoft\.AspNetCore\.Http\.Timeouts\."),
    ("UseGatewayAuthentication (bearer token check)", r"^Microsoft\.AspNetCore\.Authentication|^Microsoft\.IdentityModel\.|^System\.IdentityModel\."),
    ("UseGatewayMaintenance", r"^Gateway\.Maintenance\."),
    ("UseGatewayAuthorization", r"^Microsoft\.AspNetCore\.Authorization|^Gateway\.Auth\."),
    ("UseGatewayRateLimiting", r"^Gateway\.RateLimiting\.|^System\.Threading\.RateLimiting\."),
    ("UseGatewayCaching (output cache lookup and store)", r"^Microsoft\.AspNetCore\.OutputCaching\.|^Gateway\.Caching\."),
    ("endpoint dispatch (EndpointMiddleware)", r"^Microsoft\.AspNetCore\.Routing\.EndpointMiddleware"),
    ("YARP proxy pipeline entry", r"^Yarp\.ReverseProxy\.(Model\.ProxyPipelineInitializerMiddleware|Routing\.|Management\.ReverseProxyConventionBuilder)"),
    ("UseOverloadShedding", r"^Gateway\.Overload\."),
    ("UseUpstreamFailures", r"^Gateway\.Forwarding\.UpstreamFailure"),
    ("UseGrpcDeadline", r"^Gateway\.Forwarding\.GrpcDeadline"),
    ("UseRequestBodyLimit", r"^Gateway\.Limits\.RequestBodyLimit"),
    ("UseUpstreamTiming", r"^Gateway\.Observability\.UpstreamTiming"),
    ("session affinity (YARP)", r"^Yarp\.ReverseProxy\.SessionAffinity\."),
    ("UseUpstreamRetries", r"^Gateway\.Forwarding\.Retr"),
    ("load balancing (YARP)", r"^Yarp\.ReverseProxy\.LoadBalancing\."),
    ("passive health checks (YARP)", r"^Yarp\.ReverseProxy\.Health\."),
    ("YARP forwarder: response body copy (StreamCopier)", r"^Yarp\.ReverseProxy\.Forwarder\.(StreamCopier|StreamCopyHttpContent)"),
    ("YARP forwarder: request and response (HttpForwarder, transforms, gateway headers)", r"^Yarp\.ReverseProxy\.(Forwarder|Transforms)\.|^Gateway\.Forwarding\.|^Gateway\.Clients\."),
    ("HttpClient send (SocketsHttpHandler, HTTP/1.1 connection to the upstream)", r"^System\.Net\.Http\."),
    ("access log", r"^Gateway\.Observability\.AccessLog"),
    ("tracing and metrics (Activity, Meter, OpenTelemetry, gateway metrics)", r"^OpenTelemetry\.|^System\.Diagnostics\.(Activity|DiagnosticListener|DiagnosticSource|Metrics\.)|^Gateway\.Observability\."),
    ("logging (Microsoft.Extensions.Logging)", r"^Microsoft\.Extensions\.Logging\."),
    ("thread pool dispatch, async completion (Task continuations)", r"^System\.Threading\.(ThreadPool|ThreadPoolWorkQueue|PortableThreadPool|ExecutionContext::Run|Tasks\.Task::(RunContinuations|FinishContinuations|TrySetResult|FinishSlow|ExecuteWithThreadLocal|ExecuteFromThreadPool)|Tasks\.AwaitTaskContinuation|Tasks\.TaskContinuation)|AsyncStateMachineBox|AsyncTaskMethodBuilder.*::(SetResult|SetExistingTaskResult)|AsyncValueTaskMethodBuilder.*::SetResult|SocketAsyncEngine|SocketAsyncContext"),
]
STEP_PATTERNS = [(label, re.compile(pattern)) for label, pattern in STEPS]
step_cache = {}


def step_of(method):
    """The step a method belongs to, or None (shared code: it counts for the step that called it)."""
    if method not in step_cache:
        step_cache[method] = None if SHARED.search(method) else next((label for label, pattern in STEP_PATTERNS if pattern.search(method)), None)
    return step_cache[method]


def context_steps(context):
    return {step_of(method) for method, cost in context_methods.get(context, {}).items() if cost} - {None}


# A step's own cost: the self cost of its methods, plus every call from them into code of no step (a helper, the
# runtime, an allocation); calls into another step's code (the `next` call of a middleware, an await completing into
# an outer continuation) are that step's. A call into shared code that itself reaches a step (a framework helper that
# invokes a delegate) counts with the share of its inclusive cost spent outside steps (share_spent_in).
step_contexts = {context for context in context_methods if context_steps(context)}
in_steps = share_spent_in(step_contexts)
step_own = collections.Counter()
estimated = collections.Counter()
for key, cost in self_by_key.items():
    step = step_of(method_of(key)[0])
    if step:
        step_own[step] += cost
for (key, caller_context, context), cost in edges.items():
    step = step_of(method_of(key)[0])
    if not step or context in step_contexts:
        continue  # not a step's call; or into step code: its own (counted by self cost) or another step's (`next`)
    outside = 1.0 - in_steps.get(context, 0.0)
    step_own[step] += cost * outside
    if outside < 0.999:
        estimated[step] += cost * outside

# Cross-check, computed the other way round: the self cost of code of no step, times the share of the calls into its
# context that came from step code (directly, or through other code of no step: propagated from callers).
from_steps = {}
order = list(context_methods)
for _ in range(200):
    changed = False
    for context in order:
        incoming = [(caller, cost) for caller, cost in ((c, calls_from[c][context]) for c in callers_of.get(context, ()))]
        total_in = sum(cost for _, cost in incoming)
        if not total_in:
            continue
        value = 0.0
        for caller, cost in incoming:
            value += cost * (1.0 if caller in step_contexts else from_steps.get(caller, 0.0))
        value /= total_in
        if abs(value - from_steps.get(context, 0.0)) > 1e-5:
            from_steps[context], changed = value, True
    if not changed:
        break
unattributed_check = 0.0
for context, keys in context_keys.items():
    for key, cost in keys.items():
        if step_of(method_of(key)[0]):
            continue
        unattributed_check += cost if context in step_contexts else cost * (1.0 - from_steps.get(context, 0.0))

# ---- report
print(f"Total: {total / requests:,.0f} instructions per request (self cost summed over {requests} requests)"
      + (f"; callgrind's totals line {summary / requests:,.0f}." if summary is not None else ".") + "\n")

print("### By gateway step\n")
print("A step is the set of methods whose type it names (a middleware's class with its async state machines and "
      "lambdas, or the library code it stands for: `STEPS` in `bench/instructions/attribute.py`, in pipeline order); "
      "feature, header and property accessors belong to no step. A step's own cost is the self cost of its methods "
      "plus the inclusive cost of every call they make into code of no step (helpers, the runtime, allocations, a "
      "garbage collection an allocation set off); a call whose target runs another step's code is that step's. That "
      "is how a middleware's `next` call is told apart, and own cost = the middleware's inclusive cost minus its `next` "
      "calls, computed from the calls it makes rather than by subtraction. A `return next(context)` compiled to a "
      "jump (a tail call) is no call at all, but the next step's instructions are counted by address all the same.\n")
print("Async continuations: the part of an async middleware after an `await next()` that completed asynchronously "
      "runs from the thread pool, not below the middleware's call. It runs in the middleware's own `MoveNext` (its "
      "state machine's type is nested in the middleware's class, `ResponseRecorder+<InvokeAsync>d__5::MoveNext`), so "
      "it is counted for the middleware all the same; the thread pool's dispatch and the Task completion that starts "
      "continuations are a row of their own.\n")
print("Limits: callgrind's dump has call edges, not stacks. A call from a step into shared code that itself reaches "
      "another step's code (a framework helper invoking a delegate, an awaited Task completing) is split by an "
      "estimate: the share of that code's cost spent in steps, taken over all its callers alike; the `estimated` "
      "column is how much of a row came from such calls. Code of no step that no step called (timers, the runtime's "
      "own threads, stubs) is `not attributed`. A garbage collection counts for the step whose allocation set it "
      "off. Shared code counts for the step that called it, so a step's cost includes what it asked of Kestrel's "
      "feature collection, headers and the runtime.\n")
print("| gateway step | instructions per request (own, excluding next) | share | estimated |")
print("|---|---|---|---|")
attributed = 0
for label, _ in STEPS:
    cost = step_own.get(label, 0)
    attributed += cost
    if cost:
        print(f"| {label} | {cost / requests:,.0f} | {100 * cost / total:.1f}% | {estimated[label] / requests:,.0f} |")
rest = total - attributed
print(f"| not attributed: code of no step that no step called (total minus the rows above) | {rest / requests:,.0f} | {100 * rest / total:.1f}% | |")
print(f"| **total** | **{total / requests:,.0f}** | 100% | |")
print()
print(f"Cross-check: counted the other way round (code of no step, times the share of the calls into it that came "
      f"from step code, propagated through callers), code no step accounts for comes to {unattributed_check / requests:,.0f} "
      f"instructions per request; the steps plus that make {(attributed + unattributed_check) / requests:,.0f}, "
      f"{100 * (attributed + unattributed_check - total) / total:+.1f}% off the total.\n")


def cell(text):
    """A method name in a table cell: compiler-generated names hold '|' (local functions), which would end the cell."""
    return str(text).replace("|", "\\|")


def table(title, counter, limit, denominator=None):
    print(f"| {title} | instructions per request | share |")
    print("|---|---|---|")
    for key, cost in counter.most_common(limit):
        print(f"| {cell(key)} | {cost / requests:,.0f} | {100 * cost / total:.1f}% |")
    print()


print(f"### Methods by inclusive cost (top {top})\n")
print("Inclusive cost: the method's self cost plus callgrind's inclusive cost of every call made from inside the "
      "method to another method. A method that runs nested inside itself through other methods (the Task machinery "
      "completing outer continuations inside inner ones) would count the nested runs twice; for those (marked "
      "`nested`) the share of each call spent back in the method is taken off (the same per-context estimate as "
      "above). A method that runs nested inside another of the list is in both, so shares add up to more than 100%. "
      "Async methods: a state machine's `MoveNext` holds the method's body; `InvokeAsync` only starts it.\n")
PLUMBING = re.compile(r"^System\.Threading\.(ThreadPool|PortableThreadPool|ExecutionContext|Tasks\.(Task|Task`1|AwaitTaskContinuation)::)"
                      r"|^System\.Runtime\.CompilerServices\.(AsyncMethodBuilderCore|Async(Value)?TaskMethodBuilder)|^System\.Net\.Sockets\.SocketAsync"
                      r"|IThreadPoolWorkItem|ThreadPool\+<>c")
plumbing = [method for method, _ in inclusive.most_common() if PLUMBING.search(method)]
print(f"Left out: {len(plumbing)} methods of the thread pool and the async machinery (worker loop, `ExecutionContext`, "
      "async method builders and state machine boxes, Task continuations, socket event dispatch), which every request's "
      f"work runs below; the largest, `{plumbing[0] if plumbing else ''}`, "
      f"{inclusive[plumbing[0]] / requests if plumbing else 0:,.0f} per request.\n")
print(f"| method (top {top}) | inclusive per request | self per request | share (inclusive) |")
print("|---|---|---|---|")
for method, cost in [(method, cost) for method, cost in inclusive.most_common() if not PLUMBING.search(method)][:top]:
    mark = f" (nested: {naive[method] / requests:,.0f} before the correction)" if method in recursive else ""
    print(f"| {cell(method)}{mark} | {cost / requests:,.0f} | {self_by_method[method] / requests:,.0f} | {100 * cost / total:.1f}% |")
print()
print("### Which steps the costliest methods work for\n")
print("For the methods with the highest self cost: their self cost split over the steps whose calls led into them, "
      "through any chain of shared code (each callgrind context's calls split by where its own calls came from, the "
      "same per-context estimate as above), and their largest direct callers.\n")
print("| method (self cost per request) | by step | largest direct callers (inclusive cost of their calls into it) |")
print("|---|---|---|")
incoming = collections.defaultdict(list)  # callee context -> (step of the calling code or None, caller context, cost)
callers_by_entered = collections.defaultdict(collections.Counter)
for (key, caller_context, context), cost in edges.items():
    caller = method_of(key)[0]
    incoming[context].append((step_of(caller), caller_context, cost))
    callers_by_entered[entered(context)][caller] += cost
for method, cost in self_by_method.most_common(6):
    targets = contexts_of_method.get(method, set())
    reach = sorted(callers_reaching(targets))
    by = {}
    for _ in range(200):
        changed = False
        for context in reach:
            total_in = sum(value for _, _, value in incoming.get(context, ()))
            vector = collections.Counter()
            for step, caller_context, value in incoming.get(context, ()):
                if step:
                    vector[step] += value / total_in
                else:
                    for other, share in by.get(caller_context, {}).items():
                        vector[other] += share * value / total_in
            if any(abs(vector[k] - by.get(context, {}).get(k, 0.0)) > 1e-4 for k in set(vector) | set(by.get(context, {}))):
                by[context], changed = vector, True
        if not changed:
            break
    split = collections.Counter()
    for context in targets:
        part = context_methods[context].get(method, 0)
        steps_here = context_steps(context)
        if steps_here:  # reached by a jump from a step's code
            for step in steps_here:
                split[step] += part / len(steps_here)
            continue
        for step, share in by.get(context, {}).items():
            split[step] += part * share
    listed = "; ".join(f"{cell(step)} {value / requests:,.0f}" for step, value in split.most_common(5))
    rest_of_it = cost - sum(split.values())
    callers = "; ".join(f"{cell(caller)} {value / requests:,.0f}" for caller, value in callers_by_entered.get(method, collections.Counter()).most_common(3))
    print(f"| {cell(method)} ({cost / requests:,.0f}) | {listed}{f'; no step {rest_of_it / requests:,.0f}' if rest_of_it > requests else ''} | {callers or 'reached by jumps only'} |")
print()
print("### Self cost\n")
print("Self cost: instructions inside the method itself, not its callees.\n")
table("assembly or native object", by_assembly, top)
table("gateway feature folder (src/Gateway/*, own code only)", by_feature, top)
table(f"method (top {top})", self_by_method, top)
