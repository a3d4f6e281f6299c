#include "ipch/event_log.hpp"

namespace ipch {

std::string_view to_string(OpKind kind) {
    switch (kind) {
    case OpKind::open:
        return "open";
    case OpKind::write:
        return "write";
    case OpKind::read:
        return "read";
    case OpKind::wait_for:
        return "wait_for";
    case OpKind::hold:
        return "hold";
    case OpKind::sleep:
        return "sleep";
    }
    return "unknown-op";
}

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
    case Outcome::ok:
        return "ok";
    case Outcome::error:
        return "error";
    case Outcome::timeout:
        return "timeout";
    case Outcome::pending:
        return "pending";
    case Outcome::mismatch:
        return "mismatch";
    }
    return "unknown-outcome";
}

} // namespace ipch
