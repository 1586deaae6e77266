//! Whose turn it is to patch the page: reads of the page, wanted when the box changed, and a
//! form's answer. One read at a time, and one more if the box changed again meanwhile; reads
//! wanted while a form is on its way wait for its answer, which comes first (a refusal is in
//! its address); and a page asked for before the one shown is older, never shown.

#[derive(Debug, Default)]
pub struct Turns {
    reading: bool,
    sending: bool,
    /// A read was wanted while it could not start.
    again: bool,
    /// Pages asked for so far, and the number of the one shown.
    asked: u64,
    shown: u64,
}

impl Turns {
    /// A read is wanted: `true` if it starts now (its number from [`Self::ask`]), `false` if
    /// it waits for the read or the form under way.
    pub fn want_read(&mut self) -> bool {
        if self.reading || self.sending {
            self.again = true;
            return false;
        }
        self.reading = true;
        true
    }

    /// Numbers a page about to be asked for.
    pub fn ask(&mut self) -> u64 {
        self.asked += 1;
        self.again = false;
        self.asked
    }

    /// A read ended: `true` if another starts at once (the box changed meanwhile).
    pub fn read_ended(&mut self) -> bool {
        let again = self.again && !self.sending;
        self.reading = again;
        again
    }

    /// A form goes: the number of the page it will bring back.
    pub fn send(&mut self) -> u64 {
        self.sending = true;
        self.asked += 1;
        self.asked
    }

    /// A form's answer came back (or none): `true` if a read wanted meanwhile starts now.
    pub fn sent(&mut self) -> bool {
        self.sending = false;
        if self.again && !self.reading {
            self.again = false;
            self.reading = true;
            return true;
        }
        false
    }

    /// Whether the page asked for as number `asked` may be shown: not if a later one was.
    pub fn may_show(&mut self, asked: u64) -> bool {
        if asked < self.shown {
            return false;
        }
        self.shown = asked;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_read_at_a_time_and_one_more_if_the_box_changed_meanwhile() {
        let mut turns = Turns::default();
        assert!(turns.want_read());
        let first = turns.ask();
        // Two changes while it reads: one more read, not two.
        assert!(!turns.want_read());
        assert!(!turns.want_read());
        assert!(turns.may_show(first));
        assert!(turns.read_ended());
        let second = turns.ask();
        assert!(turns.may_show(second));
        assert!(!turns.read_ended());
        // Nothing under way: the next read starts at once.
        assert!(turns.want_read());
    }

    #[test]
    fn a_read_wanted_while_a_form_goes_waits_for_its_answer() {
        let mut turns = Turns::default();
        let form = turns.send();
        assert!(!turns.want_read());
        assert!(turns.may_show(form));
        // The read starts once the form's page is shown: it reads the address the form left.
        assert!(turns.sent());
        let read = turns.ask();
        assert!(read > form);
        assert!(turns.may_show(read));
        assert!(!turns.read_ended());
        // A form with nothing wanted meanwhile starts nothing.
        turns.send();
        assert!(!turns.sent());
    }

    #[test]
    fn a_read_under_way_when_a_form_goes_is_older_than_its_answer() {
        let mut turns = Turns::default();
        assert!(turns.want_read());
        let read = turns.ask();
        let form = turns.send();
        // The form's answer comes first; the read that ends after it is not shown.
        assert!(turns.may_show(form));
        assert!(!turns.may_show(read));
        // A change heard meanwhile waits for the form, not for the read.
        assert!(!turns.want_read());
        assert!(!turns.read_ended());
        assert!(turns.sent());
    }
}
