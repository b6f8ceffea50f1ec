-- The wrk script of wrk-load.ts. wrk runs one connection per thread, so a thread's request() and
-- response() calls are the start and end of the same request: each is timed here on
-- CLOCK_MONOTONIC (LuaJIT's FFI), the way the bench's raw ORT side times a run, instead of
-- through wrk's own histogram, which adds synthetic samples for coordinated omission.
-- Environment: CVF_WRK_BODY (file of the request body), CVF_WRK_WARMUP_MS, CVF_WRK_MEASURE_MS.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } cvf_timespec;
  int clock_gettime(int clock_id, cvf_timespec *time);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("cvf_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

wrk.method = "POST"
local file = assert(io.open(os.getenv("CVF_WRK_BODY"), "rb"))
wrk.body = file:read("*a")
file:close()

-- Per thread, read by done() through thread:get.
latencies = {}
failures = 0
samples = {}
measure_from = nil
measure_to = nil
last_answer = nil
sent_at = nil

local prepared

function init(args)
  measure_from = now_ms() + tonumber(os.getenv("CVF_WRK_WARMUP_MS"))
  measure_to = measure_from + tonumber(os.getenv("CVF_WRK_MEASURE_MS"))
  prepared = wrk.format()
end

function request()
  sent_at = now_ms()
  return prepared
end

-- Requests sent during the warm-up are not timed; those sent within the measured span are timed to
-- their answer, however late. Every failure counts. A connection answered after the span sends no
-- more, so wrk ends with nothing in flight: the bench then pauses the server (SIGSTOP) idle, never
-- in the middle of a request (holding the store's audit lock, which a server beside it waits for).
function response(status, headers, body)
  local answered = now_ms()
  if status ~= 200 then
    failures = failures + 1
    if #samples < 3 then samples[#samples + 1] = "HTTP " .. status .. ": " .. body:sub(1, 300) end
  elseif sent_at >= measure_from and sent_at < measure_to then
    latencies[#latencies + 1] = answered - sent_at
    last_answer = answered
  end
  sent_at = nil
  if answered >= measure_to then wrk.thread:stop() end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

-- One JSON line: every timed latency (ms), the failures, and the measured span's bounds.
function done(summary)
  local all, texts, failed, unanswered = {}, {}, 0, 0
  local from, to, last = math.huge, -math.huge, -math.huge
  for _, thread in ipairs(threads) do
    for _, ms in ipairs(thread:get("latencies")) do all[#all + 1] = string.format("%.4f", ms) end
    for _, text in ipairs(thread:get("samples")) do texts[#texts + 1] = json_string(text) end
    failed = failed + thread:get("failures")
    local pending = thread:get("sent_at")
    if pending and pending < thread:get("measure_to") then unanswered = unanswered + 1 end
    from = math.min(from, thread:get("measure_from"))
    to = math.max(to, thread:get("measure_to"))
    last = math.max(last, thread:get("last_answer") or -math.huge)
  end
  if last == -math.huge then last = to end
  local e = summary.errors
  io.write(string.format(
    '\n{"latenciesMs":[%s],"failures":%d,"samples":[%s],"unanswered":%d,"socketErrors":%d,"measureFrom":%.4f,"measureTo":%.4f,"lastAnswer":%.4f}\n',
    table.concat(all, ","), failed, table.concat(texts, ","), unanswered, e.connect + e.read + e.write + e.timeout, from, to, last))
end
