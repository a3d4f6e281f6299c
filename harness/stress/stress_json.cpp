#include "stress/stress_json.hpp"

#include "text.hpp"

#include <nlohmann/json.hpp>

namespace ipch::stress {

namespace {

// ordered_json keeps keys in the order written, so the document reads like docs/stress.md.
using Json = nlohmann::ordered_json;

template <typename T>
Json or_null(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

// Every percentile the table shows and more, then the non-empty buckets as [low, high, count]:
// enough to merge sweeps or draw the distribution again. null without samples.
Json distribution_json(const LogHistogram& histogram) {
    if (histogram.count() == 0) return nullptr;
    Json buckets = Json::array();
    for (const LogHistogram::Bucket& bucket : histogram.buckets())
        buckets.push_back(Json::array({bucket.low, bucket.high, bucket.count}));
    return Json{{"count", histogram.count()},
                {"min_ns", or_null(histogram.min())},
                {"mean_ns", or_null(histogram.mean())},
                {"p50_ns", or_null(histogram.percentile(50))},
                {"p90_ns", or_null(histogram.percentile(90))},
                {"p99_ns", or_null(histogram.percentile(99))},
                {"p99_9_ns", or_null(histogram.percentile(99.9))},
                {"max_ns", or_null(histogram.max())},
                {"relative_error", LogHistogram::relative_error},
                {"buckets", buckets}};
}

Json figures_json(const CaseFigures& figures) {
    return Json{
        {"acquisitions", figures.acquisitions},
        {"stamped", figures.stamped},
        {"per_agent", figures.per_agent},
        {"throughput_per_s", or_null(figures.throughput)},
        {"measured_s", figures.measured_s},
        {"jain_index", or_null(figures.jain)},
        {"longest_run", figures.lock_order_measured ? Json(figures.longest_run) : Json(nullptr)},
        {"longest_run_agent",
         figures.lock_order_measured ? Json(figures.longest_run_agent) : Json(nullptr)},
        {"longest_wait_ns", figures.longest_wait_ns},
        {"longest_wait_agent", figures.longest_wait_agent},
        {"wait", distribution_json(figures.wait)},
        {"hold", distribution_json(figures.hold)},
        {"handoff", distribution_json(figures.handoff)}};
}

Json verdicts_json(const std::vector<PropertyResult>& verdicts) {
    Json array = Json::array();
    for (const PropertyResult& verdict : verdicts)
        array.push_back(Json{{"id", verdict.id},
                             {"verdict", to_string(verdict.verdict)},
                             {"detail", json_text(verdict.detail)},
                             {"violations", verdict.violations}});
    return array;
}

Json clock_json(const CaseClock& clock) {
    return Json{{"source", clock_text(clock)},
                {"reason", json_text(clock_reason(clock))},
                {"tsc_agents", clock.tsc_agents},
                {"monotonic_agents", clock.monotonic_agents},
                {"fallback", clock.fallback.empty() ? Json(nullptr) : Json(clock.fallback)},
                {"max_drift_ns", clock.max_drift_ns},
                {"max_error_ns", clock.max_error_ns},
                {"tsc_khz", clock.tsc_khz == 0 ? Json(nullptr) : Json(clock.tsc_khz)},
                {"disagreed", clock.disagreed}};
}

Json case_json(const StressCase& stress_case, const StressConfig& config) {
    Json errors = Json::array();
    for (const std::string& error : stress_case.errors)
        errors.push_back(json_text(error));
    return Json{{"backend", to_string(stress_case.key.backend)},
                {"mapping", to_string(config.mapping)},
                {"agents", stress_case.key.agents},
                {"hold_ns", config.hold_ns},
                {"payload_bytes", config.payload_bytes},
                {"repeat", stress_case.key.repeat},
                {"outcome", case_outcome(stress_case)},
                {"errors", errors},
                {"duration_s", stress_case.duration_s},
                {"run_dir", stress_case.run_dir.empty() ? Json(nullptr)
                                                        : Json(json_text(stress_case.run_dir))},
                {"clock", clock_json(stress_case.clock)},
                {"figures", figures_json(stress_case.figures)},
                {"verdicts", verdicts_json(stress_case.verdicts)}};
}

Json config_json(const StressConfig& config) {
    Json backends = Json::array();
    for (const MutexKind backend : config.backends)
        backends.push_back(to_string(backend));
    return Json{{"backends", backends},
                {"mapping", to_string(config.mapping)},
                {"agents", config.agents},
                {"duration_ns", config.duration_ns},
                {"warmup_ns", config.warmup_ns},
                {"hold_ns", config.hold_ns},
                {"payload_bytes", config.payload_bytes},
                {"repeat", config.repeat},
                {"pin", config.pin},
                {"timing",
                 {{"mode", to_string(config.timing)},
                  {"sample_every", config.sample_every},
                  {"clock", to_string(config.clock)}}}};
}

Json environment_json(const Environment& environment, const StressConfig& config) {
    return Json{
        {"cpu_model", json_text(environment.cpu_model)},
        {"cores", environment.cores},
        {"kernel", json_text(environment.kernel)},
        {"boost_version", environment.boost_version},
        {"load_average", Json::array({environment.load_average[0], environment.load_average[1],
                                      environment.load_average[2]})},
        {"timing_mode", timing_text(config)},
        {"invariant_tsc", environment.invariant_tsc}};
}

} // namespace

void write_stress_json(std::ostream& out, const Sweep& sweep) {
    Json cases = Json::array();
    for (const StressCase& stress_case : sweep.cases)
        cases.push_back(case_json(stress_case, sweep.config));
    const Json document{{"kind", "ipc-harness stress"},
                        {"format_version", stress_json_version},
                        {"tool_version", sweep.tool_version},
                        {"started_utc", sweep.started_utc},
                        {"shard", sweep.shard.empty() ? Json(nullptr) : Json(sweep.shard)},
                        {"duration_s", sweep.duration_s},
                        {"environment", environment_json(sweep.environment, sweep.config)},
                        {"config", config_json(sweep.config)},
                        {"cases", cases}};
    out << document.dump(2) << "\n";
}

} // namespace ipch::stress
