Console.Error.WriteLine("pgreplica: not built yet");
return 1;
