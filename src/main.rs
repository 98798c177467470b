fn main() {
    std::process::exit(letopis::cmd::main_with_args(std::env::args_os().collect()));
}
