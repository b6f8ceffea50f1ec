// The codec packages ship no types; @cvf/medical declares them (its sources are compiled here).
/// <reference types="@cvf/medical/codec-modules" />
