//! Word lists. Kept short and general: function words for term vectors, and the
//! capitalised words that begin sentences or name times rather than things.

/// English function words plus the most frequent German and French ones (the bench
/// has German pages); reporting verbs are kept as terms on purpose.
const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
    "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me",
    "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only",
    "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours", "yourself", "s", "t", "don", "didn", "doesn", "isn", "wasn",
    "weren", "won", "ll", "ve", "re", "mr", "mrs", "ms", "dr", "one", "two", "three", "may", "might",
    "must", "us", "said", "says", "say", "according", "told", "last", "first", "new", "year", "years",
    "week", "month", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "den", "dem", "des", "mit", "von", "zu",
    "auf", "für", "sich", "im", "es", "auch", "le", "la", "les", "et", "un", "une", "du", "pour", "en",
];

pub fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// Capitalised words that are not names on their own: sentence openers, pronouns,
/// days, months, titles and generic words that news capitalises.
pub const NOT_NAME_ALONE: &[&str] = &[
    "The", "A", "An", "And", "But", "Or", "Nor", "So", "Yet", "If", "In", "On", "At", "To", "For", "Of",
    "By", "As", "From", "With", "Without", "After", "Before", "During", "While", "When", "Where", "What",
    "Who", "Why", "How", "This", "That", "These", "Those", "There", "Here", "It", "Its", "He", "She",
    "They", "We", "I", "You", "His", "Her", "Their", "Our", "My", "Your", "Neither", "Either", "Both",
    "Some", "Many", "Most", "One", "Two", "Three", "Last", "Next", "First", "New", "Such", "Also",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gen", "Brig", "Lt", "Col", "Gov",
    "President", "Prime", "Minister", "Secretary", "Leader", "Chairman", "Spokesman", "Spokeswoman",
    "Spokesperson", "Officials", "Official", "Experts", "State", "Click", "Read", "Related", "Original",
    "Published", "Updated", "According", "Experts", "Kremlin's", "FILE", "AP", "Photo", "However",
    "Meanwhile", "Still", "Even", "Now", "Then", "Today", "Yesterday", "Tomorrow", "Earlier", "Later",
    "OK", "TV",
];
