package nianbao

import "strings"

// English names of the row, column and block keys used in cell ids.
var keyEnglish = map[string]string{
	"t2": "Table 2 (proactive disclosure, Art. 20)", "t3": "Table 3 (information requests)", "t4": "Table 4 (administrative review and litigation)",
	"art20_1": "Art. 20(1)", "art20_5": "Art. 20(5)", "art20_6": "Art. 20(6)", "art20_8": "Art. 20(8)", "art20_9": "Art. 20(9)",
	"rules": "government rules (规章)", "normative_docs": "normative documents (规范性文件)",
	"admin_licensing": "administrative licensing", "other_external_services": "other external administrative services",
	"admin_penalty": "administrative penalties", "admin_coercion": "administrative coercion", "admin_fees": "administrative fees",
	"central_procurement": "centralised government procurement",
	"issued":              "issued this year", "repealed": "repealed this year", "in_force": "currently in force",
	"new_made": "newly made this year", "new_published": "newly published this year", "total_published": "total published",
	"prev_year_items": "items in the previous year", "items_delta": "change in items this year (signed)",
	"decisions": "decisions this year", "amount_wan_yuan": "amount collected (10,000 yuan)",
	"projects": "procurement projects", "total_amount": "total procurement amount (unit as printed)",
	"new_received": "requests newly received this year", "carried_over": "requests carried over from last year",
	"granted": "answered: disclosed in full", "partially_granted": "answered: disclosed in part",
	"refused": "answered: refused", "state_secret": "state secret", "other_law": "other laws forbid disclosure",
	"security_stability": "endangers the 'three securities and one stability'", "third_party": "protects third-party rights",
	"internal_affairs": "internal affairs", "process_info": "process information", "enforcement_file": "law-enforcement case file",
	"admin_query": "administrative query matter",
	"unavailable": "answered: cannot be provided", "not_held": "not held by this agency", "needs_creation": "would have to be created",
	"unclear":       "still unclear after correction",
	"not_processed": "answered: not processed", "petition": "petition/complaint", "duplicate": "duplicate request",
	"publication": "asks for a publication", "excessive": "excessive repeated requests", "confirm_reissue": "asks to confirm or reissue",
	"other": "other", "no_correction": "applicant did not correct in time", "fee_unpaid": "applicant did not pay the fee",
	"total": "total", "carried_forward": "carried forward to next year",
	"natural_person": "natural persons", "commercial_enterprise": "commercial enterprises", "research_institution": "research institutions",
	"public_welfare_org": "public-welfare organisations", "legal_service_org": "legal-service organisations", "other_org": "other organisations",
	"review": "administrative review", "suit_direct": "lawsuits without prior review", "suit_after_review": "lawsuits after review",
	"upheld": "upheld", "corrected": "corrected", "pending": "pending",
}

// Description is an English description of the cell, built from its id.
func (d CellDef) Description() string {
	parts := strings.Split(d.ID, ".")
	var out []string
	for i, p := range parts {
		e, ok := keyEnglish[p]
		if !ok {
			e = p
		}
		if d.Table == "t3" && i == len(parts)-1 {
			e = "applicant: " + e
		}
		if d.Table == "t3" && i == len(parts)-2 && parts[i] == "other" && len(parts) == 3 {
			e = "answered: other handling (single row)"
		}
		out = append(out, e)
	}
	return strings.Join(out, " / ")
}

// Crosswalk says how a 2019-template cell relates to a 2021-template cell.
type Crosswalk struct {
	T19, T21 string // cell ids; T21 may be a derived group such as t3.other._sum
	Relation string // identical, comparable, approximately_comparable, aggregate, not_comparable
	Note     string
}

// Crosswalks lists the 2019↔2021 correspondences of template-spec §2c: every
// cell the two templates share, and the T2 cells that differ.
func Crosswalks() []Crosswalk {
	out := []Crosswalk{
		{"t2.art20_1.rules.new_made", "t2.art20_1.rules.issued", "approximately_comparable", "制作 (made) vs 制发 (issued)"},
		{"t2.art20_1.normative_docs.new_made", "t2.art20_1.normative_docs.issued", "approximately_comparable", "制作 (made) vs 制发 (issued)"},
		{"t2.art20_1.rules.total_published", "t2.art20_1.rules.in_force", "not_comparable", "cumulative published is not currently in force; never chain 2020→2021"},
		{"t2.art20_1.normative_docs.total_published", "t2.art20_1.normative_docs.in_force", "not_comparable", "cumulative published is not currently in force; never chain 2020→2021"},
		{"t2.art20_5.admin_licensing.decisions", "t2.art20_5.admin_licensing.decisions", "comparable", ""},
		{"t2.art20_6.admin_penalty.decisions", "t2.art20_6.admin_penalty.decisions", "comparable", ""},
		{"t2.art20_6.admin_coercion.decisions", "t2.art20_6.admin_coercion.decisions", "comparable", ""},
		{"t2.art20_8.admin_fees.prev_year_items", "t2.art20_8.admin_fees.amount_wan_yuan", "not_comparable", "2019 counts fee items, 2021 money in 10,000 yuan: never join"},
	}
	for _, col := range ApplicantColumns {
		out = append(out, Crosswalk{"t3.other." + col, "t3.other._sum." + col, "aggregate", "2021 splits （六）其他处理 into three rows; compare their sum"})
	}
	for _, d := range allCells() {
		if d.Template == "both" {
			out = append(out, Crosswalk{d.ID, d.ID, "identical", ""})
		}
	}
	return out
}
