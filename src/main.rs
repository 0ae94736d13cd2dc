fn main() {
    println!("pyheap: bootstrap build; the tour arrives with the runtime and collector.");
}
