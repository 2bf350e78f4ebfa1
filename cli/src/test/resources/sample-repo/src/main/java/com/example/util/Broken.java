package com.example.util;

/** Does not compile: the parser reports it and the scan goes on. */
public class Broken {
    void ok() {
    }

    void broken( {
    }
