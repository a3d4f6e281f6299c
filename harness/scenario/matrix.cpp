#include "scenario/matrix.hpp"

#include "scenario/word_lists.hpp"

#include <algorithm>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::string_view matrix_form =
    "a map of parameter names to lists of values, such as {agents: [1, 2, 4]}";
constexpr std::string_view exclude_form = "a list of maps such as {agents: 1, mutex: none}";

bool is_parameter_name(std::string_view name) {
    if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string where(const SourcePos& pos) {
    return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column);
}

std::vector<std::string_view> parameter_names(const Matrix& matrix) {
    std::vector<std::string_view> names;
    for (const MatrixParameter& parameter : matrix.parameters)
        names.push_back(parameter.name);
    return names;
}

std::vector<std::string_view> value_texts(const MatrixParameter& parameter) {
    std::vector<std::string_view> texts;
    for (const MatrixValue& value : parameter.values)
        texts.push_back(value.text);
    return texts;
}

// A parameter's values: a non-empty list of distinct scalars. Values are told apart by their
// text, since a case is named by it: 4 and "4" are one value listed twice.
std::optional<MatrixParameter> read_parameter(const MapReader::Entry& entry, Diagnostics& diag) {
    if (!is_parameter_name(entry.key)) {
        diag.error(entry.key_pos, "matrix parameter name '" + shown(entry.key) +
                                      "' is not valid; expected a lower-case letter, then "
                                      "letters, digits or '_' ([a-z][a-z0-9_]*), e.g. agents");
        return std::nullopt;
    }
    const std::string subject = "matrix parameter '" + entry.key + "'";
    const Field field{subject, entry.value.node, entry.value.pos};
    if (!check_list(field, "a list of values, such as [1, 2, 4]", diag)) return std::nullopt;
    if (field.node.size() == 0) {
        diag.error(field.pos, subject + " has no values; expected a list of at least one value");
        return std::nullopt;
    }
    MatrixParameter parameter{entry.key, entry.key_pos, {}};
    bool ok = true;
    for (const YAML::Node& item : field.node) {
        const SourcePos pos = diag.pos(item);
        if (!item.IsScalar()) {
            diag.error(pos, "a value of " + subject + " must be a number or a text; got " +
                                describe(item));
            ok = false;
            continue;
        }
        const auto same =
            std::find_if(parameter.values.begin(), parameter.values.end(),
                         [&](const MatrixValue& v) { return v.text == item.Scalar(); });
        if (same != parameter.values.end()) {
            diag.error(pos, "value '" + shown(item.Scalar()) + "' of " + subject +
                                " is listed twice (first at " + where(same->pos) +
                                "); expected each value once");
            ok = false;
            continue;
        }
        parameter.values.push_back(MatrixValue{item.Scalar(), item.Tag(), pos});
    }
    if (!ok) return std::nullopt;
    return parameter;
}

// One `exclude` entry: parameter: value pairs, each naming a parameter and one of its values.
std::optional<MatrixExclude> read_exclude(const YAML::Node& node, const Matrix& matrix,
                                          Diagnostics& diag) {
    const Field field{"an exclude entry", node, diag.pos(node)};
    if (!check_map(field, "a map of parameter: value pairs, such as {agents: 1, mutex: none}",
                   diag))
        return std::nullopt;
    if (node.size() == 0) {
        diag.error(field.pos, "an exclude entry is empty, which would leave out every case; "
                              "expected parameter: value pairs, such as {agents: 1}");
        return std::nullopt;
    }
    const std::vector<std::string_view> names = parameter_names(matrix);
    const MapReader map(node, {}, "in an exclude entry", diag);
    MatrixExclude exclude;
    bool ok = true;
    for (const MapReader::Entry& entry : map.entries()) {
        const auto parameter = std::find(names.begin(), names.end(), entry.key);
        if (parameter == names.end()) {
            std::string what = "exclude names '" + shown(entry.key) +
                               "', which is not a matrix "
                               "parameter";
            const std::string_view close = closest_word(entry.key, names);
            if (!close.empty()) what += " (did you mean '" + std::string(close) + "'?)";
            diag.error(entry.key_pos, what + "; expected one of: " + join_words(names));
            ok = false;
            continue;
        }
        const auto index = static_cast<std::size_t>(parameter - names.begin());
        const std::vector<std::string_view> texts = value_texts(matrix.parameters[index]);
        const YAML::Node& value = entry.value.node;
        const auto found =
            value.IsScalar() ? std::find(texts.begin(), texts.end(), value.Scalar()) : texts.end();
        if (found == texts.end()) {
            diag.error(entry.value.pos, "exclude gives " + entry.key + ": " + describe(value) +
                                            ", which is not one of its values; expected one of: " +
                                            join_words(texts));
            ok = false;
            continue;
        }
        exclude.emplace_back(index, static_cast<std::size_t>(found - texts.begin()));
    }
    if (!ok) return std::nullopt;
    return exclude;
}

bool read_excludes(const Field& field, Matrix& matrix, Diagnostics& diag) {
    const Field list{"exclude", field.node, field.pos};
    if (!check_list(list, exclude_form, diag)) return false;
    bool ok = true;
    for (const YAML::Node& item : list.node) {
        if (auto exclude = read_exclude(item, matrix, diag))
            matrix.excludes.push_back(std::move(*exclude));
        else
            ok = false;
    }
    return ok;
}

bool excluded(const Matrix& matrix, const MatrixCase& one_case) {
    return std::any_of(
        matrix.excludes.begin(), matrix.excludes.end(), [&](const MatrixExclude& exclude) {
            return std::all_of(exclude.begin(), exclude.end(),
                               [&](const auto& p) { return one_case[p.first] == p.second; });
        });
}

// The product of the value counts, or max + 1 once it is over `max` (it could overflow).
std::size_t product_capped(const Matrix& matrix, std::size_t max) {
    std::size_t product = 1;
    for (const MatrixParameter& parameter : matrix.parameters) {
        product *= parameter.values.size();
        if (product > max) return max + 1;
    }
    return product;
}

// The next combination, the last parameter varying fastest; false after the last one.
bool advance(const Matrix& matrix, MatrixCase& one_case) {
    for (std::size_t p = one_case.size(); p-- > 0;) {
        if (++one_case[p] < matrix.parameters[p].values.size()) return true;
        one_case[p] = 0;
    }
    return false;
}

} // namespace

std::optional<Matrix> read_matrix(const MapReader::Entry& matrix_entry, Diagnostics& diag) {
    const Field& field = matrix_entry.value;
    if (!check_map(field, matrix_form, diag)) return std::nullopt;
    Matrix matrix;
    matrix.pos = matrix_entry.key_pos;
    const MapReader map(field.node, {}, "in matrix", diag);
    bool ok = true;
    std::optional<Field> excludes;
    for (const MapReader::Entry& entry : map.entries()) {
        if (entry.key == "exclude") {
            excludes = entry.value;
        } else if (auto parameter = read_parameter(entry, diag)) {
            matrix.parameters.push_back(std::move(*parameter));
        } else {
            ok = false;
        }
    }
    if (ok && matrix.parameters.empty()) {
        diag.error(field.pos, "matrix has no parameters; expected at least one, such as "
                              "agents: [1, 2, 4]");
        return std::nullopt;
    }
    // Excludes refer to the parameters, wherever in the map they stand.
    if (excludes && ok) ok = read_excludes(*excludes, matrix, diag);
    if (!ok) return std::nullopt;
    return matrix;
}

std::vector<MatrixCase> expand_matrix(const Matrix& matrix, Diagnostics& diag) {
    const std::size_t product = product_capped(matrix, max_matrix_cases);
    if (product > max_matrix_cases) {
        diag.error(matrix.pos, "the matrix's values combine into more than " +
                                   std::to_string(max_matrix_cases) + " cases; expected at most " +
                                   std::to_string(max_matrix_cases) +
                                   " before exclusions (fewer values or parameters)");
        return {};
    }
    std::vector<MatrixCase> cases;
    MatrixCase one_case(matrix.parameters.size(), 0);
    do {
        if (!excluded(matrix, one_case)) cases.push_back(one_case);
    } while (advance(matrix, one_case));
    if (cases.empty())
        diag.error(matrix.pos, "exclude leaves out every case of the matrix; expected at least "
                               "one case left");
    return cases;
}

std::vector<CaseParameter> case_parameters(const Matrix& matrix, const MatrixCase& one_case) {
    std::vector<CaseParameter> parameters;
    for (std::size_t p = 0; p < one_case.size(); ++p) {
        const MatrixParameter& parameter = matrix.parameters[p];
        const MatrixValue& value = parameter.values[one_case[p]];
        parameters.push_back(CaseParameter{parameter.name, value.text, value.tag != "?"});
    }
    return parameters;
}

std::string case_name(const std::string& name, const std::vector<CaseParameter>& parameters) {
    if (parameters.empty()) return name;
    std::string text = name + "[";
    for (std::size_t i = 0; i < parameters.size(); ++i)
        text += (i > 0 ? "," : "") + parameters[i].name + "=" + parameters[i].value;
    return text + "]";
}

} // namespace ipch::scenario_detail
