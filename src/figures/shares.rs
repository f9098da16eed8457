//! Shares that add up: a whole apportioned among values by largest
//! remainder (Hamilton's method), so that the percentages printed on a pie
//! add up to exactly 100 and a waffle's squares to exactly its cells.

/// `whole` units shared among `values` in proportion (negative values count
/// as zero): each gets the whole part of its exact share, and the units
/// left go to the largest remainders (ties to the earlier value). The
/// result adds up to `whole` unless every value is zero (then all are 0).
pub(crate) fn apportion(values: &[f64], whole: usize) -> Vec<usize> {
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    if total <= 0.0 || !total.is_finite() {
        return vec![0; values.len()];
    }
    let exact: Vec<f64> = values.iter().map(|v| v.max(0.0) / total * whole as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut left = whole.saturating_sub(counts.iter().sum::<usize>());
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b))
    });
    // What is left is the sum of the fractions: fewer units than values
    // with a fraction, so each gets at most one.
    for i in order {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// The cells a waffle of `values` draws for each value: one per unit when
/// the values are whole counts adding up to at most 200 (102 companies, 102
/// cells), else 100 apportioned by largest remainder.
pub(crate) fn waffle_cells(values: &[f64]) -> Vec<usize> {
    let whole = values.iter().all(|v| v.fract() == 0.0 && *v >= 0.0);
    let total: f64 = values.iter().sum();
    if whole && total > 0.0 && total <= 200.0 {
        values.iter().map(|v| *v as usize).collect()
    } else {
        apportion(values, 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_a_hundred_add_up() {
        assert_eq!(apportion(&[14.0, 65.0, 23.0], 100), vec![14, 64, 22]);
        assert_eq!(apportion(&[1.0, 1.0, 1.0], 100), vec![34, 33, 33]);
        assert_eq!(apportion(&[0.0, 0.0], 100), vec![0, 0]);
        assert_eq!(apportion(&[0.0, 5.0], 100), vec![0, 100]);
    }

    #[test]
    fn a_waffle_of_few_whole_counts_draws_one_cell_each() {
        assert_eq!(waffle_cells(&[14.0, 65.0, 23.0]), vec![14, 65, 23]);
        assert_eq!(waffle_cells(&[150.0, 51.0]).iter().sum::<usize>(), 100);
        assert_eq!(waffle_cells(&[0.5, 0.25, 0.25]), vec![50, 25, 25]);
    }
}
